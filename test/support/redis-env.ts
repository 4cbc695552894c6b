import { randomBytes } from 'crypto';

/**
 * Import FIRST in a test file that runs on BullMQ: feature modules call QueueModule.registerQueue() when they are
 * imported, which reads the configuration from the environment at that moment, so REDIS_URL and a queue prefix of
 * the file's own must be in process.env before any src/ module loads.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const QUEUE_PREFIX = `ciqt_${randomBytes(5).toString('hex')}`;
process.env.REDIS_URL = REDIS_URL;
process.env.QUEUE_PREFIX = QUEUE_PREFIX;
