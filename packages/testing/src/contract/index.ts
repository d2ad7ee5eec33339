export type { ConnectForContract, DriverContractSetup } from './contract-setup.js';
export { driverContract } from './driver-contract.js';
