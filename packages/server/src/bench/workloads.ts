import { apiWorkload } from './api-workload.js';
import { billrunWorkload } from './billrun-workload.js';
import { chargingWorkload } from './charging-workload.js';
import { ingestWorkload } from './ingest-workload.js';
import { portalWorkload } from './portal-workload.js';
import { ratingWorkload } from './rating-workload.js';
import { reportsWorkload } from './reports-workload.js';
import type { Workload } from './workload.js';

/** Every workload, in the order `npm run bench` runs them when none is named. */
export const WORKLOADS: readonly Workload[] = [
  ratingWorkload,
  apiWorkload,
  chargingWorkload,
  ingestWorkload,
  billrunWorkload,
  portalWorkload,
  reportsWorkload,
];
