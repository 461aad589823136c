export * from './tariffs/import-cgrates-tariff.js';
