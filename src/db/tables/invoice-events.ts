import type { Generated } from 'kysely';
import type { Json } from '../json.js';
import type { ExceptionStatus, InvoiceStatus } from '../../domain/invoice.js';

export interface InvoiceEventsTable {
  id: Generated<number>;
  invoice_id: string;
  type: string;
  from_status: InvoiceStatus | null;
  to_status: InvoiceStatus;
  exception_status: ExceptionStatus | null;
  detail: Json<Record<string, unknown>>;
  occurred_at: number;
}
