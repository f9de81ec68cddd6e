import { presentBillData } from './bill.js';
import type { Subscription } from '../../../engine/entities.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** BitPay's subscription (BITPAY-WIRE §3.8, PHP SDK): its bill template as `billData`. */
export function presentSubscription(subscription: Subscription) {
  return {
    id: subscription.id,
    status: subscription.status,
    billData: presentBillData(subscription.bill_template),
    merchant: subscription.merchant_id,
    schedule: subscription.schedule,
    nextDelivery: iso(subscription.next_delivery),
    createdDate: iso(subscription.created_at),
    token: subscription.resource_token,
  };
}
