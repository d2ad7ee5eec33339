export { type ClusterConnectOptions, connect, fromClient } from './connect.js';
export {
  createIoredisDriver,
  type IoredisDriverOptions,
  type LivenessCheckOptions,
} from './create-ioredis-driver.js';
