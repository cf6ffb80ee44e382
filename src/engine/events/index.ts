export * from './event-bus.js';
export * from './filters.js';
