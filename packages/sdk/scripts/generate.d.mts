export declare const specPath: string;
export declare const outputPath: string;
export declare function generateTypes(): Promise<string>;
