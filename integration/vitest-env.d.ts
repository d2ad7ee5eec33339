// Types of inject('redisTarget') and inject('keySpreadDir'), provided by the global setup.
import type {} from './src/target-global-setup.js';
