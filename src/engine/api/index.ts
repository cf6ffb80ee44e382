export { EngineApiServer } from './server.js';
export { Router, type Handler } from './router.js';
export { ApiRequest, MAX_JSON_BODY, parseFilters, checkFilterKeys, type Filters } from './request.js';
export { ApiResponse, COMMON_HEADERS, type HijackedConnection, type JsonLines } from './response.js';
export { renderError, statusForError } from './errors.js';
export { API_VERSION, MIN_API_VERSION, ENGINE_VERSION, compareVersions } from './version.js';
export { writeProgressError } from './progress.js';
