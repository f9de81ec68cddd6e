import type { Selectable } from 'kysely';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from '../db/tables/webhooks.js';

/** A webhook in the outbox: what to send where, for which dialect, and where it stands. */
export type Delivery = Selectable<WebhookDeliveriesTable>;
/** One try at sending a delivery, as the delivery log shows it. */
export type Attempt = Selectable<WebhookAttemptsTable>;
