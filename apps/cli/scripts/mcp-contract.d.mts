/** Where `npm run generate` writes the contract `dtm mcp` serves. */
export declare const outputPath: string;
/** The text of src/lib/mcp/contract.json as openapi.yaml makes it now. */
export declare function generateContract(): Promise<string>;
