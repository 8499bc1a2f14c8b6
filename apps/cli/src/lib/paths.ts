import envPaths from 'env-paths';

const standard = envPaths('dtm', { suffix: '' });

/** Where `config.json` and the token file live: `DTM_CONFIG_DIR`, else the OS's config dir (XDG on Linux). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.DTM_CONFIG_DIR) ?? standard.config;
}

/** Where the performance log and the local copy live: `DTM_DATA_DIR`, else the OS's data dir. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.DTM_DATA_DIR) ?? standard.data;
}

/** Where `dtm api --cache` keeps answers: `DTM_CACHE_DIR`, else the OS's cache dir. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.DTM_CACHE_DIR) ?? standard.cache;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
