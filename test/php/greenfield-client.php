<?php
// Runs one call of BTCPay Server's Greenfield PHP client (unmodified, from ../shared/sdks) against
// the emulator and prints what the client returned as JSON, or the exception it threw.
// Usage: php greenfield-client.php <baseUrl> <apiKey> <operation> '<json arguments>'
declare(strict_types=1);

require getenv('SDKS') . '/php/autoload.php';

use BTCPayServer\Client\ApiKey;
use BTCPayServer\Client\Health;
use BTCPayServer\Client\Invoice;
use BTCPayServer\Client\InvoiceCheckoutOptions;
use BTCPayServer\Client\Server;
use BTCPayServer\Client\Store;
use BTCPayServer\Client\Webhook;
use BTCPayServer\Util\PreciseNumber;

[, $baseUrl, $apiKey, $operation, $argsJson] = $argv;
$a = json_decode($argsJson, true, 512, JSON_THROW_ON_ERROR);

$invoice = fn (\BTCPayServer\Result\Invoice $i) => [
    'id' => $i->getId(), 'amount' => (string) $i->getAmount(), 'currency' => $i->getCurrency(), 'status' => $i->getStatus(),
    'checkoutLink' => $i->getCheckoutLink(), 'createdTime' => $i->getCreatedTime(), 'expirationTime' => $i->getExpirationTime(),
    'monitoringTime' => $i->getMonitoringTime(), 'archived' => $i->isArchived(), 'isNew' => $i->isNew(), 'isProcessing' => $i->isProcessing(),
    'isSettled' => $i->isSettled(), 'isExpired' => $i->isExpired(), 'isInvalid' => $i->isInvalid(), 'isMarked' => $i->isMarked(),
    'isPartiallyPaid' => $i->isPartiallyPaid(), 'isOverpaid' => $i->isOverpaid(), 'isPaidLate' => $i->isPaidLate(),
    'marking' => $i->getAvailableStatusesForManualMarking(), 'metadata' => $i->getData()['metadata'],
];

try {
    switch ($operation) {
        case 'createInvoice':
            $checkout = isset($a['checkout']) ? InvoiceCheckoutOptions::create(...$a['checkout']) : null;
            $result = $invoice((new Invoice($baseUrl, $apiKey))->createInvoice(
                $a['storeId'], $a['currency'], PreciseNumber::parseString($a['amount']), $a['orderId'] ?? null, $a['buyerEmail'] ?? null, $a['metadata'] ?? null, $checkout
            ));
            break;
        case 'getInvoice':
            $result = $invoice((new Invoice($baseUrl, $apiKey))->getInvoice($a['storeId'], $a['invoiceId']));
            break;
        case 'updateInvoice':
            $result = $invoice((new Invoice($baseUrl, $apiKey))->updateInvoice($a['storeId'], $a['invoiceId'], $a['metadata']));
            break;
        case 'markInvoiceStatus':
            $result = $invoice((new Invoice($baseUrl, $apiKey))->markInvoiceStatus($a['storeId'], $a['invoiceId'], $a['status']));
            break;
        case 'getAllInvoices':
            $result = array_map($invoice, (new Invoice($baseUrl, $apiKey))->getAllInvoices($a['storeId'], $a['take'] ?? null, $a['skip'] ?? null)->all());
            break;
        case 'getInvoicesByOrderIds':
            $result = array_map($invoice, (new Invoice($baseUrl, $apiKey))->getInvoicesByOrderIds($a['storeId'], $a['orderIds'])->all());
            break;
        case 'getInvoicesByStatus':
            $result = array_map($invoice, (new Invoice($baseUrl, $apiKey))->getInvoicesByStatus($a['storeId'], $a['status'])->all());
            break;
        case 'getInvoicesByText':
            $result = array_map($invoice, (new Invoice($baseUrl, $apiKey))->getInvoicesByText($a['storeId'], $a['text'])->all());
            break;
        case 'getInvoicesByStartDate':
            $result = array_map($invoice, (new Invoice($baseUrl, $apiKey))->getInvoicesByStartDate($a['storeId'], $a['startDate'])->all());
            break;
        case 'getPaymentMethods':
            $result = array_map(fn ($m) => [
                'paymentMethod' => $m->getPaymentMethod(), 'cryptoCode' => $m->getCryptoCode(), 'destination' => $m->getDestination(),
                'rate' => $m->getRate(), 'paid' => $m->getPaymentMethodPaid(), 'totalPaid' => $m->getTotalPaid(), 'due' => $m->getDue(),
                'amount' => $m->getAmount(), 'networkFee' => $m->getNetworkFee(), 'currency' => $m->getCurrency(),
                'payments' => array_map(fn ($p) => [
                    'txid' => $p->getTransactionId(), 'value' => $p->getValue(), 'fee' => $p->getFee(), 'status' => $p->getStatus(),
                    'destination' => $p->getDestination(), 'received' => $p->getReceivedTimestamp(),
                ], $m->getPayments()),
            ], (new Invoice($baseUrl, $apiKey))->getPaymentMethods($a['storeId'], $a['invoiceId']));
            break;
        case 'createStore':
            $s = (new Store($baseUrl, $apiKey))->createStore($a['name'], null, $a['defaultCurrency'], 900, 300, 3600, $a['speedPolicy']);
            $result = $s->getData();
            break;
        case 'getStore':
            $result = (new Store($baseUrl, $apiKey))->getStore($a['storeId'])->getData();
            break;
        case 'getStores':
            $result = array_map(fn ($s) => $s->getData(), (new Store($baseUrl, $apiKey))->getStores());
            break;
        case 'getCurrentApiKey':
            $k = (new ApiKey($baseUrl, $apiKey))->getCurrent();
            $result = ['apiKey' => $k->getApiKey(), 'label' => $k->getLabel(), 'permissions' => $k->getPermissions()];
            break;
        case 'createApiKey':
            $k = (new ApiKey($baseUrl, $apiKey))->createApikey($a['label'], $a['permissions']);
            $result = ['apiKey' => $k->getApiKey(), 'label' => $k->getLabel(), 'permissions' => $k->getPermissions()];
            break;
        case 'revokeCurrentApiKey':
            $result = (new ApiKey($baseUrl, $apiKey))->revokeCurrentApiKey();
            break;
        case 'health':
            $result = (new Health($baseUrl, $apiKey))->getHealthStatus();
            break;
        case 'serverInfo':
            $info = (new Server($baseUrl, $apiKey))->getInfo();
            $result = ['version' => $info->getVersion(), 'fullySynched' => $info->isFullySynced(), 'supportedPaymentMethods' => $info->getSupportedPaymentMethods()];
            break;
        case 'createWebhook':
            $w = (new Webhook($baseUrl, $apiKey))->createWebhook($a['storeId'], $a['url'], $a['specificEvents'] ?? null, $a['secret'] ?? null);
            $result = ['id' => $w->getData()['id'], 'secret' => $w->getSecret(), 'data' => $w->getData()];
            break;
        case 'getStoreWebhooks':
            $result = array_map(fn ($w) => ['id' => $w->getId(), 'enabled' => $w->isEnabled(), 'url' => $w->getUrl(),
                'everything' => $w->getAuthorizedEvents()->hasEverything(), 'events' => $w->getAuthorizedEvents()->getSpecificEvents()],
                (new Webhook($baseUrl, $apiKey))->getStoreWebhooks($a['storeId'])->all());
            break;
        case 'getWebhook':
            $w = (new Webhook($baseUrl, $apiKey))->getWebhook($a['storeId'], $a['webhookId']);
            $result = ['id' => $w->getId(), 'enabled' => $w->isEnabled(), 'automaticRedelivery' => $w->hasAutomaticRedelivery(), 'url' => $w->getUrl()];
            break;
        case 'updateWebhook':
            $w = (new Webhook($baseUrl, $apiKey))->updateWebhook($a['storeId'], $a['url'], $a['webhookId'], $a['specificEvents'] ?? null, $a['enabled'] ?? true);
            $result = ['id' => $w->getId(), 'enabled' => $w->isEnabled(), 'events' => $w->getAuthorizedEvents()->getSpecificEvents()];
            break;
        case 'getLatestDeliveries':
            // The client's typed getters of httpCode and errorMessage do not allow the nulls BTCPay sends; the raw data does.
            $result = array_map(fn ($d) => ['id' => $d->getId(), 'timestamp' => $d->getTimestamp(), 'status' => $d->getStatus(), 'data' => $d->getData()],
                (new Webhook($baseUrl, $apiKey))->getLatestDeliveries($a['storeId'], $a['webhookId'], (string) $a['count'])->all());
            break;
        case 'getDelivery':
            $d = (new Webhook($baseUrl, $apiKey))->getDelivery($a['storeId'], $a['webhookId'], $a['deliveryId']);
            $result = ['id' => $d->getId(), 'status' => $d->getStatus(), 'data' => $d->getData()];
            break;
        case 'getDeliveryRequest':
            $result = (new Webhook($baseUrl, $apiKey))->getDeliveryRequest($a['storeId'], $a['webhookId'], $a['deliveryId']);
            break;
        case 'redeliverDelivery':
            $result = (new Webhook($baseUrl, $apiKey))->redeliverDelivery($a['storeId'], $a['webhookId'], $a['deliveryId']);
            break;
        case 'deleteWebhook':
            (new Webhook($baseUrl, $apiKey))->deleteWebhook($a['storeId'], $a['webhookId']);
            $result = true;
            break;
        case 'isIncomingWebhookRequestValid':
            $result = Webhook::isIncomingWebhookRequestValid($a['body'], $a['signature'], $a['secret']);
            break;
        default:
            throw new InvalidArgumentException("unknown operation $operation");
    }
    echo json_encode(['ok' => true, 'result' => $result], JSON_THROW_ON_ERROR);
} catch (\BTCPayServer\Exception\RequestException $e) {
    echo json_encode(['ok' => false, 'exception' => get_class($e), 'message' => $e->getMessage()], JSON_THROW_ON_ERROR);
}
