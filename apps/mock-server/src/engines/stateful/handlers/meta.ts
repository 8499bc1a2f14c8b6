import type { Health } from '../types.js';
import type { Handler } from './context.js';

export const version = '1.0.0-mock';

export const getHealth: Handler = ({ startedAt }) => {
  const body: Health = {
    status: 'ok',
    version,
    database: { status: 'up', latency_ms: 0 },
    uptime_seconds: Math.round((Date.now() - startedAt) / 100) / 10,
  };
  return { status: 200, body };
};
