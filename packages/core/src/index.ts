export * from './money/decimal.js';
export * from './money/rounding-mode.js';
export * from './result.js';
export * from './tariff/tariff-schema.js';
