export { NetworkService, type NetworkServiceDeps } from './network-service.js';
export type { NetworkServiceOptions } from './context.js';
export type { ConnectBody, DisconnectBody } from './network-connect.js';
export type { NetworkCreateBody, NetworkRecord, SandboxRecord, EndpointRecord, PublishedPort } from './types.js';
export { DEFAULT_ADDRESS_POOLS, type AddressPool } from './ipam.js';
export { SocketPortReserver, type PortReserver, type PortHold } from './port-reserver.js';
