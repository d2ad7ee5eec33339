/**
 * The "When Redis is down" entries alone (`pnpm bench` runs them too, last):
 * `node --import tsx src/outage/main.ts` from bench/, after `pnpm build`. Each entry starts and
 * kills a redis-server of its own (redis-server must be on PATH); REDIS_URL is not used.
 */
import { measureOutage } from './measure-outage.js';
import { outageReport } from './outage-report.js';

const figures = await measureOutage((message) => process.stderr.write(`… ${message}\n`));
console.log(outageReport(figures));
