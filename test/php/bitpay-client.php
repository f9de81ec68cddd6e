<?php
// Drives every public method of BitPay's PHP SDK (bitpay/sdk, unmodified, from ../shared/sdks)
// against the emulator and prints one JSON report: for each method, whether it answered and what,
// in brief. Usage: php bitpay-client.php <baseUrl> <merchantId>
declare(strict_types=1);

require getenv('SDKS') . '/php/autoload.php';

use BitPayKeyUtils\KeyHelper\PrivateKey;
use BitPaySDK\Client;
use BitPaySDK\Env;
use BitPaySDK\Model\Bill\Bill;
use BitPaySDK\Model\Bill\Item;
use BitPaySDK\Model\Invoice\Buyer;
use BitPaySDK\Model\Invoice\Invoice;
use BitPaySDK\Model\Payout\Payout;
use BitPaySDK\Model\Payout\PayoutRecipient;
use BitPaySDK\Model\Payout\PayoutRecipients;
use BitPaySDK\Tokens;
use BitPaySDK\Util\RESTcli\RESTcli;

[, $baseUrl, $merchantId] = $argv;

/** The README's way of pointing the SDK at the emulator. */
final class EmulatorRESTcli extends RESTcli
{
    public function __construct(PrivateKey $key, string $baseUrl)
    {
        parent::__construct(Env::TEST, $key);
        $this->baseUrl = $baseUrl;
        $this->init();
    }
}

function http(string $method, string $url, array $body): array
{
    $context = stream_context_create(['http' => ['method' => $method, 'header' => "Content-Type: application/json\r\n", 'content' => json_encode($body === [] ? new stdClass() : $body), 'ignore_errors' => true]]);
    return json_decode((string) file_get_contents($url, false, $context), true);
}

/** Client-initiated pairing, approved through the sandbox API. */
function pair(string $baseUrl, string $merchantId, string $sin, string $facade): string
{
    $answer = http('POST', $baseUrl . 'tokens', ['id' => $sin, 'facade' => $facade])['data'][0];
    http('POST', $baseUrl . 'sandbox/pairing-codes/' . $answer['pairingCode'] . '/approve', ['merchantId' => $merchantId]);
    return $answer['token'];
}

$report = [];
function run(string $name, callable $call, ?callable $brief = null)
{
    global $report;
    try {
        $value = $call();
        $report[$name] = ['ok' => true, 'value' => $brief ? $brief($value) : $value];
        return $value;
    } catch (Throwable $error) {
        $report[$name] = ['ok' => false, 'error' => get_class($error) . ': ' . $error->getMessage(), 'trace' => substr($error->getTraceAsString(), 0, 800)];
        return null;
    }
}

$key = new PrivateKey();
$key->generate();
$sin = (string) $key->getPublicKey()->getSin();
$tokens = new Tokens(pair($baseUrl, $merchantId, $sin, 'merchant'), pair($baseUrl, $merchantId, $sin, 'payout'));
$client = new Client(new EmulatorRESTcli($key, $baseUrl), $tokens);

run('getTokens', fn () => $client->getTokens(), fn ($t) => count($t));
run('getRates', fn () => $client->getRates(), fn ($r) => count($r->getRates()));
run('getCurrencyRates', fn () => $client->getCurrencyRates('BTC'), fn ($r) => count($r->getRates()));
run('getCurrencyPairRate', fn () => $client->getCurrencyPairRate('BTC', 'USD'), fn ($r) => $r->getRate());
run('getSupportedWallets', fn () => $client->getSupportedWallets(), fn ($w) => count($w));

// Invoices
$guid = bin2hex(random_bytes(8));
$new = new Invoice(100.0, 'USD');
$buyer = new Buyer();
$buyer->setEmail('b@example.com');
$new->setBuyer($buyer);
$new->setNotificationURL('http://127.0.0.1:9/ipn');
$invoice = run('createInvoice', fn () => $client->createInvoice($new), fn ($i) => $i->getStatus());
run('getInvoice', fn () => $client->getInvoice($invoice->getId()), fn ($i) => $i->getId() === $invoice->getId());
run('getInvoiceByGuid', fn () => $client->getInvoiceByGuid($invoice->getGuid()), fn ($i) => $i->getId() === $invoice->getId());
run('getInvoices', fn () => $client->getInvoices('2000-01-01', '2999-01-01'), fn ($l) => count($l));
$other = $client->createInvoice(new Invoice(5.0, 'USD'));
// BitPay's own PHP test: updateInvoice($id, '', '', $email)
run('updateInvoice', fn () => $client->updateInvoice($other->getId(), '', '', 'php@example.com'), fn ($i) => $i->getBuyer()->getEmail());
run('requestInvoiceNotification', fn () => $client->requestInvoiceNotification($invoice->getId(), $invoice->getToken()));
run('payInvoice', fn () => $client->payInvoice($invoice->getId(), 'complete'), fn ($i) => $i->getStatus());
run('cancelInvoice', fn () => $client->cancelInvoice($other->getId()), fn ($i) => $i->getStatus());
$third = $client->createInvoice(new Invoice(5.0, 'USD'));
run('cancelInvoiceByGuid', fn () => $client->cancelInvoiceByGuid($third->getGuid()), fn ($i) => $i->getStatus());

// Refunds
$refund = run('createRefund', fn () => $client->createRefund($invoice->getId(), 10.0, 'USD', true, false, false, 'r-' . $guid), fn ($r) => $r->getStatus());
run('getRefund', fn () => $client->getRefund($refund->getId()), fn ($r) => $r->getId() === $refund->getId());
run('getRefundByGuid', fn () => $client->getRefundByGuid('r-' . $guid), fn ($r) => $r->getId() === $refund->getId());
run('getRefunds', fn () => $client->getRefunds($invoice->getId()), fn ($l) => count($l));
run('updateRefund', fn () => $client->updateRefund($refund->getId(), 'created'), fn ($r) => $r->getStatus());
run('sendRefundNotification', fn () => $client->sendRefundNotification($refund->getId(), $refund->getToken()));
run('cancelRefund', fn () => $client->cancelRefund($refund->getId()), fn ($r) => $r->getStatus());
$client->createRefund($invoice->getId(), 5.0, 'USD', true, false, false, 's-' . $guid);
run('updateRefundByGuid', fn () => $client->updateRefundByGuid('s-' . $guid, 'created'), fn ($r) => $r->getStatus());
run('cancelRefundByGuid', fn () => $client->cancelRefundByGuid('s-' . $guid), fn ($r) => $r->getStatus());

// Ledgers
run('getLedgers', fn () => $client->getLedgers(), fn ($l) => array_map(fn ($x) => [$x->getCurrency(), $x->getBalance()], $l));
run('getLedgerEntries', fn () => $client->getLedgerEntries('USD', '2000-1-1', '2999-1-1'), fn ($l) => array_map(fn ($e) => [$e->getCode(), $e->getAmount()], $l));

// Payout recipients, payouts, groups
$recipients = run('submitPayoutRecipients', fn () => $client->submitPayoutRecipients(new PayoutRecipients([new PayoutRecipient('php@example.com', 'Php', 'http://127.0.0.1:9/r')])), fn ($l) => array_map(fn ($r) => $r->getStatus(), $l));
$recipientId = $recipients[0]->getId();
run('getPayoutRecipient', fn () => $client->getPayoutRecipient($recipientId), fn ($r) => $r->getStatus());
run('getPayoutRecipients', fn () => $client->getPayoutRecipients(), fn ($l) => count($l));
run('updatePayoutRecipient', fn () => $client->updatePayoutRecipient($recipientId, new PayoutRecipient(null, 'Php2')), fn ($r) => $r->getLabel());
run('requestPayoutRecipientNotification', fn () => $client->requestPayoutRecipientNotification($recipientId));
http('POST', $baseUrl . 'sandbox/recipients/' . $recipientId . '/accept', []);
$newPayout = function (float $amount) use ($recipientId) {
    $payout = new Payout($amount, 'USD', 'USD');
    $payout->setRecipientId($recipientId);
    $payout->setNotificationURL('http://127.0.0.1:9/p');
    $payout->setEffectiveDate('2999-01-01');
    return $payout;
};
$payout = run('submitPayout', fn () => $client->submitPayout($newPayout(10.0)), fn ($p) => $p->getStatus());
run('getPayout', fn () => $client->getPayout($payout->getId()), fn ($p) => $p->getStatus());
run('getPayouts', fn () => $client->getPayouts(null, null, 'new'), fn ($l) => count($l));
run('requestPayoutNotification', fn () => $client->requestPayoutNotification($payout->getId()));
run('cancelPayout', fn () => $client->cancelPayout($payout->getId()));
$group = run('createPayoutGroup', fn () => $client->createPayoutGroup([$newPayout(5.0)]), fn ($g) => [count($g->getPayouts()), count($g->getFailed())]);
run('cancelPayoutGroup', fn () => $client->cancelPayoutGroup($group->getPayouts()[0]->getGroupId()), fn ($g) => array_map(fn ($p) => $p->getStatus(), $g->getPayouts()));
run('deletePayoutRecipient', fn () => $client->deletePayoutRecipient($recipientId));

// Bills
$item = new Item();
$item->setPrice(3.0);
$item->setQuantity(2);
$item->setDescription('Tea');
$bill = run('createBill', fn () => $client->createBill(new Bill('php-1', 'USD', 'b@example.com', [$item])), fn ($b) => $b->getStatus());
run('getBill', fn () => $client->getBill($bill->getId()), fn ($b) => $b->getNumber());
run('getBills', fn () => $client->getBills(), fn ($l) => count($l));
run('updateBill', function () use ($client, $bill) {
    $fetched = $client->getBill($bill->getId());
    $fetched->setName('Php');
    return $client->updateBill($fetched, $bill->getId());
}, fn ($b) => $b->getName());
run('deliverBill', fn () => $client->deliverBill($bill->getId(), $bill->getToken()));

// Subscriptions: a bill sent monthly
$template = new Bill('sub-1', 'USD', 'b@example.com', [$item]);
$subscription = run('createSubscription', fn () => $client->createSubscription(new \BitPaySDK\Model\Subscription\Subscription($template, 'monthly')), fn ($s) => $s->getStatus());
run('getSubscription', fn () => $client->getSubscription($subscription->getId()), fn ($s) => $s->getSchedule());
run('getSubscriptions', fn () => $client->getSubscriptions(), fn ($l) => count($l));
run('updateSubscription', function () use ($client, $subscription) {
    $fetched = $client->getSubscription($subscription->getId());
    $fetched->setStatus('active');
    return $client->updateSubscription($fetched, $subscription->getId());
}, fn ($s) => $s->getStatus());

// Settlements
http('POST', $baseUrl . 'sandbox/settlements', ['merchantId' => $merchantId]);
$settlements = run('getSettlements', fn () => $client->getSettlements('USD', '2000-01-01', '2999-01-01'), fn ($l) => array_map(fn ($s) => $s->getStatus(), $l));
run('getSettlement', fn () => $client->getSettlement($settlements[0]->getId()), fn ($s) => $s->getTotalAmount());
run('getSettlementReconciliationReport', fn () => $client->getSettlementReconciliationReport($settlements[0]->getId(), $settlements[0]->getToken()), fn ($s) => count($s->getLedgerEntries()));

echo json_encode($report);
