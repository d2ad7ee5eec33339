export { connect, fromClient } from './connect.js';
export { createNodeRedisDriver, type NodeRedisDriver } from './create-node-redis-driver.js';
