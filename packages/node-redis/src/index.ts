export { connect, fromClient } from './connect.js';
export {
  createNodeRedisDriver,
  type LivenessCheckOptions,
  type NodeRedisDriver,
  type NodeRedisDriverOptions,
} from './create-node-redis-driver.js';
