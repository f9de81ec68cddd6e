import { unixSeconds } from '../../../domain/duration.js';
import { money } from '../money.js';
import type { PaymentLink } from '../../../engine/entities.js';

/** Seed 001's payment link, with the URL of its public page. */
export function presentPaymentLink(link: PaymentLink, publicUrl: string) {
  return {
    ref: link.id,
    slug: link.slug,
    title: link.title,
    description: link.description,
    amount: link.amount === null ? null : money(link.amount, link.currency),
    currency: link.currency,
    payment_methods: link.payment_methods,
    redirect_url: link.redirect_url,
    metadata: link.metadata,
    is_active: link.active,
    created_at: unixSeconds(link.created_at),
    url: `${publicUrl}pay/${link.merchant_id}/${link.slug}`,
  };
}
