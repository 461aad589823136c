export * from './rank-plan-options.js';
export * from './reprice-cycles.js';
