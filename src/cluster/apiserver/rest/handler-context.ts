/** What resource handlers get: the server's services and the current call. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../../store/types.js';
import type { Authorizer, ServiceAccountTokens } from '../auth/index.js';
import type { Collaborators } from '../collaborators.js';
import type { Metrics } from '../metrics/index.js';
import type { ObjectStore } from '../storage/index.js';
import type { RequestInfo, ResourceType, UserInfo } from '../types.js';
import type { ResourceDeleter } from './resource-deleter.js';
import type { ResourceWriter } from './resource-writer.js';

export interface ServerServices {
  store: Store;
  objects: ObjectStore;
  collab: Collaborators;
  writer: ResourceWriter;
  deleter: ResourceDeleter;
  authorizer: Authorizer;
  tokens: ServiceAccountTokens;
  metrics: Metrics;
}

export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  user: UserInfo;
  query: URLSearchParams;
  type: ResourceType;
  /** Aborted when the client goes away or the server stops. */
  signal: AbortSignal;
}
