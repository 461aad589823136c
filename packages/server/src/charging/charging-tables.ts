import type { Generated } from 'kysely';
import type { Json } from '../db/database-schema.js';

/** The online charging tables (see db/migrations/0005-ledger.ts). */
export interface ChargingTables {
  charging_sessions: ChargingSessionTable;
  charging_requests: ChargingRequestTable;
  reservations: ReservationTable;
}

export interface ChargingSessionTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  subscription_id: string;
  session_key: string;
  kind: 'session' | 'event';
  status: 'open' | 'terminated' | 'expired';
  /** How the session is priced: the tariff version, rating tenant and subject fixed at its start. */
  rating: Json<unknown>;
  /** Per rating group: the service, the units used and priced so far, the money charged. */
  services: Json<unknown>;
  last_request_number: number;
  charged_micros: Generated<bigint>;
  unpaid_micros: Generated<bigint>;
  started_at: Date;
  updated_at: Date;
  ended_at: Date | null;
}

export interface ChargingRequestTable {
  tenant_id: string;
  session_key: string;
  request_number: number;
  answer: Json<unknown>;
  created_at: Generated<Date>;
}

export interface ReservationTable {
  id: Generated<string>;
  tenant_id: string;
  account_id: string;
  bucket_id: string;
  session_id: string;
  rating_group: bigint;
  amount: bigint;
  status: 'pending' | 'committed' | 'released' | 'expired';
  committed_amount: bigint | null;
  expires_at: Date;
  created_at: Date;
  resolved_at: Date | null;
}
