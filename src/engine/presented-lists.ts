import type { KeyedCache } from './cache.js';
import type { EngineContext } from './context.js';
import { invoicesWithVersions, readInvoiceListing, type InvoiceFilter } from './invoices.js';
import type { ChainView, Invoice } from './entities.js';

/** How a dialect presents the invoices of a list: what a presentation depends on, and the presentation. */
export interface ListPresenter<T> {
  /** Everything the presentation of this state of the invoice depends on, as a cache key. */
  keyOf(id: string, version: string, chain: ChainView): string;
  present(invoice: Invoice, chain: ChainView): T;
}

/**
 * A list of a merchant's invoices, each presented once per state: only the invoices whose state
 * was not presented before are read, in one query, and presented.
 */
export async function presentedList<T>(ctx: EngineContext, merchantId: string, filter: InvoiceFilter, cache: KeyedCache<T>, presenter: ListPresenter<T>): Promise<T[]> {
  const { listed, chain } = await readInvoiceListing(ctx, merchantId, filter);
  const made = new Map<string, T>();
  const missing = listed.filter(({ id, version }) => cache.get(presenter.keyOf(id, version, chain)) === undefined);
  for (const invoice of await invoicesWithVersions(ctx.db, missing.map((i) => i.id))) {
    const presented = presenter.present(invoice, chain);
    made.set(invoice.id, presented);
    cache.set(presenter.keyOf(invoice.id, invoice.version, chain), presented);
  }
  return listed.map(({ id, version }) => (made.get(id) ?? cache.get(presenter.keyOf(id, version, chain))) as T);
}
