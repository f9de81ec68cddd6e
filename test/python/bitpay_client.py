"""Drives every public method of BitPay's Python SDK (unmodified, from ../shared/sdks) against an
emulator, and prints one JSON report: for each method, whether it answered and what, in brief.

python3 bitpay_client.py <emulator base URL> <merchant id>
"""
import json
import sys
import traceback
import uuid

import requests

from bitpay.client import Client
from bitpay.clients.bitpay_client import BitPayClient
from bitpay.models.bill.bill import Bill
from bitpay.models.bill.item import Item
from bitpay.models.facade import Facade
from bitpay.models.invoice.buyer import Buyer
from bitpay.models.invoice.invoice import Invoice
from bitpay.models.payout.payout import Payout
from bitpay.models.payout.payout_recipient import PayoutRecipient
from bitpay.models.payout.payout_recipients import PayoutRecipients
from bitpay.utils.key_utils import generate_pem, get_sin_from_pem
from bitpay.utils.token_container import TokenContainer

base_url, merchant_id = sys.argv[1], sys.argv[2]
report = {}


def pair(pem, facade):
    """Client-initiated pairing (what bitpay_setup.py does), approved through the sandbox API."""
    answer = requests.post(base_url + "tokens", json={"id": get_sin_from_pem(pem), "facade": facade}).json()["data"][0]
    requests.post(base_url + "sandbox/pairing-codes/" + answer["pairingCode"] + "/approve", json={"merchantId": merchant_id}).raise_for_status()
    return answer["token"]


def run(name, call, brief=lambda value: value):
    try:
        value = call()
        report[name] = {"ok": True, "value": brief(value)}
        return value
    except Exception as error:  # the report says which method failed and why
        report[name] = {"ok": False, "error": "%s: %s" % (type(error).__name__, error), "trace": traceback.format_exc()[-800:]}
        return None


def sandbox(path, body=None):
    response = requests.post(base_url + "sandbox/" + path, json=body or {})
    response.raise_for_status()
    return response.json()


pem = generate_pem()
tokens = TokenContainer()
tokens.add_merchant(pair(pem, "merchant"))
tokens.add_payout(pair(pem, "payout"))
client = Client(BitPayClient(base_url, pem), tokens)

# Rates, currencies, wallets
run("get_rates", lambda: client.get_rates(), lambda r: len(r.rates))
run("get_currency_rates", lambda: client.get_currency_rates("BTC"), lambda r: len(r.rates))
run("get_currency_pair_rate", lambda: client.get_currency_pair_rate("BTC", "USD"), lambda r: r.rate)
run("get_currencies", lambda: client.get_currencies(), len)
run("get_supported_wallets", lambda: client.get_supported_wallets(), len)

# Invoices
guid = str(uuid.uuid4())
invoice = run("create_invoice", lambda: client.create_invoice(Invoice(price=100.0, currency="USD", guid=guid, buyer=Buyer(email="b@example.com"), notification_url="http://127.0.0.1:9/ipn")), lambda i: i.status)
run("get_invoice", lambda: client.get_invoice(invoice.id), lambda i: i.id == invoice.id)
run("get_invoice_by_guid", lambda: client.get_invoice_by_guid(guid), lambda i: i.id == invoice.id)
run("get_invoices", lambda: client.get_invoices("2000-01-01", "2999-01-01"), len)
run("get_invoice_event_token", lambda: client.get_invoice_event_token(invoice.id), lambda t: bool(t.token))
other = client.create_invoice(Invoice(price=5.0, currency="USD"))
run("update_invoice", lambda: client.update_invoice(other.id, buyer_email="python@example.com"), lambda i: i.buyer_provided_email)
run("request_invoice_notifications", lambda: client.request_invoice_notifications(invoice.id))
run("pay_invoice", lambda: client.pay_invoice(invoice.id), lambda i: i.status)
run("cancel_invoice", lambda: client.cancel_invoice(other.id), lambda i: i.status)
third = client.create_invoice(Invoice(price=5.0, currency="USD", guid="g-" + guid))
run("cancel_invoice_by_guid", lambda: client.cancel_invoice_by_guid(third.guid), lambda i: i.status)

# Refunds
refund_guid = str(uuid.uuid4())
refund = run("create_refund", lambda: client.create_refund(invoice.id, 10.0, preview=True, guid=refund_guid), lambda r: r.status)
run("get_refund", lambda: client.get_refund(refund.id), lambda r: r.id == refund.id)
run("get_refund_by_guid", lambda: client.get_refund_by_guid(refund_guid), lambda r: r.id == refund.id)
run("get_refunds", lambda: client.get_refunds(invoice.id), len)
run("update_refund", lambda: client.update_refund(refund.id, "created"), lambda r: r.status)
run("request_refund_notification", lambda: client.request_refund_notification(refund.id))
run("cancel_refund", lambda: client.cancel_refund(refund.id), lambda r: r.status)
second_guid = str(uuid.uuid4())
client.create_refund(invoice.id, 5.0, preview=True, guid=second_guid)
run("update_refund_by_guid", lambda: client.update_refund_by_guid(second_guid, "created"), lambda r: r.status)
run("cancel_refund_by_guid", lambda: client.cancel_refund_by_guid(second_guid), lambda r: r.status)

# Ledgers
run("get_ledgers", lambda: client.get_ledgers(), lambda ls: [[l.currency, l.balance] for l in ls])
run("get_ledger_entries", lambda: client.get_ledger_entries("USD", "2000-01-01", "2999-01-01"), lambda es: [[e.code, e.amount] for e in es])

# Payout recipients, payouts, groups
recipients = run(
    "submit_payout_recipients",
    lambda: client.submit_payout_recipients(PayoutRecipients(recipients=[PayoutRecipient(email="py@example.com", label="Py", notification_url="http://127.0.0.1:9/r")])),
    lambda rs: [r.status for r in rs],
)
recipient_id = recipients[0].id
run("get_payout_recipient", lambda: client.get_payout_recipient(recipient_id), lambda r: r.status)
run("get_payout_recipients", lambda: client.get_payout_recipients(), len)
run("update_payout_recipient", lambda: client.update_payout_recipient(recipient_id, PayoutRecipient(label="Py2")), lambda r: r.label)
run("request_payout_recipient_notification", lambda: client.request_payout_recipient_notification(recipient_id))
sandbox("recipients/%s/accept" % recipient_id)
payout = run(
    "submit_payout",
    lambda: client.submit_payout(Payout(amount=10.0, currency="USD", ledger_currency="USD", recipient_id=recipient_id, notification_url="http://127.0.0.1:9/p", effective_date="2999-01-01")),
    lambda p: p.status,
)
run("get_payout", lambda: client.get_payout(payout.id), lambda p: p.status)
run("get_payouts", lambda: client.get_payouts(status="new"), len)
run("request_payout_notification", lambda: client.request_payout_notification(payout.id))
run("cancel_payout", lambda: client.cancel_payout(payout.id))
group = run(
    "create_payout_group",
    lambda: client.create_payout_group([Payout(amount=5.0, currency="USD", ledger_currency="USD", recipient_id=recipient_id, effective_date="2999-01-01")]),
    lambda g: [len(g.payouts), len(g.failed)],
)
run("cancel_payout_group", lambda: client.cancel_payout_group(group.payouts[0].group_id), lambda g: [p.status for p in g.payouts])
run("delete_payout_recipient", lambda: client.delete_payout_recipient(recipient_id))

# Bills
bill = run("create_bill", lambda: client.create_bill(Bill(number="py-1", currency="USD", email="b@example.com", items=[Item(price=3.0, quantity=2, description="Tea")])), lambda b: b.status)
run("get_bill", lambda: client.get_bill(bill.id), lambda b: b.number)
run("get_bills", lambda: client.get_bills(), len)


def update_bill():
    fetched = client.get_bill(bill.id)
    fetched.name = "Python"
    return client.update_bill(fetched, bill.id)


run("update_bill", update_bill, lambda b: b.name)
run("deliver_bill", lambda: client.deliver_bill(bill.id, bill.token))

# Settlements
sandbox("settlements", {"merchantId": merchant_id})
settlements = run("get_settlements", lambda: client.get_settlements(), lambda ss: [s.status for s in ss])
run("get_settlement", lambda: client.get_settlement(settlements[0].id), lambda s: s.total_amount)
run("get_settlement_reconciliation_report", lambda: client.get_settlement_reconciliation_report(settlements[0].id, settlements[0].token), lambda s: len(s.ledger_entries))

print(json.dumps(report, default=str))
