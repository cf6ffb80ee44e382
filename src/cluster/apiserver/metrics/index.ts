export { Metrics, type RequestLabels } from './metrics.js';
