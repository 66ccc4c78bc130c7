// The demo checkout, built on the Order Gate SDK (window.OrderGate, bundled from src/client).
// One press of "Place order" is one intent: its idempotency key and order token are kept in
// sessionStorage until the answer arrives, so a reload mid-submit resubmits the same intent.
(function () {
  'use strict';
  const PENDING = 'order-gate-demo:pending';
  const SESSION = 'order-gate-demo:session';
  const SESSION_MARGIN_MS = 5 * 60_000; // a kept session this close to its end is replaced
  const params = new URLSearchParams(location.search);
  const customerId = params.get('customer') || 'demo-shopper';
  const button = document.getElementById('place-order');
  const status = document.getElementById('status');
  const resultBox = document.getElementById('result');
  let client;
  let catalog; // { token, skus, expiresAt }: to refresh stock after each order, and sign in anew

  const euros = (cents) => (cents / 100).toLocaleString('en', { style: 'currency', currency: 'EUR' });
  const el = (tag, text, attrs = {}) => Object.assign(document.createElement(tag), { textContent: text ?? '' }, attrs);

  /** The tab's demo session, or a new one when there is none, it is another shopper's, or it expires soon. */
  async function session({ renew = false } = {}) {
    const saved = renew ? null : JSON.parse(sessionStorage.getItem(SESSION) || 'null');
    const fresh = saved && Date.parse(saved.expiresAt) - Date.now() > SESSION_MARGIN_MS;
    if (fresh && saved.customerId === customerId) return saved;
    const response = await fetch('/demo/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId }),
    });
    if (!response.ok) throw new Error('Could not start a demo session.');
    const started = await response.json();
    sessionStorage.setItem(SESSION, JSON.stringify(started));
    return started;
  }

  async function loadProducts(token, skus) {
    const fields = skus
      .map((sku, i) => `p${i}: product(sku: ${JSON.stringify(sku)}) { sku name priceCents stock }`)
      .join(' ');
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ ${fields} }` }),
    });
    const body = await response.json();
    // A token the server no longer takes (signed before it changed its JWT_SECRET): null, to start anew.
    if ((body.errors || []).some((error) => error.extensions?.code === 'UNAUTHENTICATED')) return null;
    return Object.values(body.data || {}).filter(Boolean);
  }

  function renderProducts(products) {
    const rows = products.map((product) => {
      const row = el('tr');
      row.append(
        el('td', product.name),
        el('td', euros(product.priceCents), { className: 'num' }),
        el('td', String(product.stock), { className: 'num' }),
      );
      const quantity = el('input', '', { type: 'number', min: '0', max: '99', value: '0', name: product.sku });
      quantity.dataset.sku = product.sku;
      const cell = el('td', '', { className: 'num' });
      cell.append(quantity);
      row.append(cell);
      return row;
    });
    document.getElementById('products').replaceChildren(...rows);
  }

  function chosenItems() {
    return [...document.querySelectorAll('input[data-sku]')]
      .map((input) => ({ sku: input.dataset.sku, quantity: Number(input.value) }))
      .filter((item) => Number.isInteger(item.quantity) && item.quantity > 0);
  }

  function showOutcome(outcome) {
    resultBox.hidden = false;
    resultBox.replaceChildren();
    if (outcome.ok) {
      const { order } = outcome;
      resultBox.dataset.state = outcome.replayed ? 'replayed' : 'created';
      resultBox.dataset.orderId = order.id;
      const badge = outcome.replayed
        ? el('span', `Replay: this order already existed (detected by ${outcome.detectedBy})`, {
            className: 'badge replay',
          })
        : el('span', 'New order', { className: 'badge new' });
      const lines = el('ul');
      for (const item of order.items)
        lines.append(el('li', `${item.quantity} × ${item.sku} at ${euros(item.unitPriceCents)}`));
      resultBox.append(
        el('h2', `Order ${order.status.toLowerCase()}: ${euros(order.totalCents)}`),
        badge,
        lines,
        el('p', '', {
          innerHTML: `Order id <code id="order-id"></code><br>Idempotency key <code id="order-key"></code>`,
        }),
        el('p', `Answered after ${outcome.attempts} ${outcome.attempts === 1 ? 'try' : 'tries'}.`, {
          className: 'muted',
        }),
      );
      document.getElementById('order-id').textContent = order.id;
      document.getElementById('order-key').textContent = outcome.idempotencyKey;
    } else {
      resultBox.dataset.state = 'failed';
      delete resultBox.dataset.orderId;
      const { kind, ...details } = outcome.failure;
      resultBox.append(el('h2', `No order: ${kind}`), el('p', JSON.stringify(details), { className: 'muted' }));
    }
  }

  /** Signs in anew when the tab's session is about to expire (a tab left open for an hour). */
  async function keepSessionFresh() {
    if (Date.parse(catalog.expiresAt) - Date.now() > SESSION_MARGIN_MS) return;
    const { token, skus, expiresAt } = await session({ renew: true });
    catalog = { token, skus, expiresAt };
    client = new OrderGate.OrderGateClient({ url: '/graphql', authToken: token, customerId });
  }

  /** Sends a pending intent until there is an answer; the button stays disabled meanwhile. */
  async function submit(pending) {
    button.disabled = true;
    status.textContent = 'Placing your order…';
    const outcome = await client.createOrder(pending.input, { idempotencyKey: pending.key });
    // Kept intents: the server could not be reached or is still on it, refused for a while only
    // (Retry-After), or answered what this page does not know (an order may have come of it). Pressing
    // again (or reloading) resends the same key, which can never make a second order.
    const failure = outcome.ok ? undefined : outcome.failure;
    const retryable =
      failure !== undefined &&
      (failure.kind === 'Unavailable' ||
        failure.kind === 'StillInProgress' ||
        failure.kind === 'UnrecognizedAnswer' ||
        failure.kind === 'Interrupted' ||
        (failure.kind === 'Rejected' && failure.retryAfterMs !== undefined));
    if (!retryable) sessionStorage.removeItem(PENDING);
    status.textContent = retryable ? 'No answer to act on yet. Press again to retry the same order.' : '';
    showOutcome(outcome);
    const products = retryable ? null : await loadProducts(catalog.token, catalog.skus);
    if (products) renderProducts(products);
    button.disabled = false;
  }

  async function onPlaceOrder() {
    if (button.disabled) return;
    button.disabled = true; // first thing, synchronously: a second click finds it disabled
    await keepSessionFresh();
    const saved = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    if (saved) return submit(saved);
    const items = chosenItems();
    if (items.length === 0) {
      status.textContent = 'Pick at least one item.';
      button.disabled = false;
      return;
    }
    status.textContent = 'Preparing your order…';
    const [{ token }, key] = await Promise.all([client.issueOrderToken(), client.newIdempotencyKey()]);
    const pending = { key, input: { currency: 'EUR', items, orderToken: token } };
    sessionStorage.setItem(PENDING, JSON.stringify(pending));
    return submit(pending);
  }

  async function start() {
    let { token, skus, expiresAt } = await session();
    let products = await loadProducts(token, skus);
    if (products === null) {
      ({ token, skus, expiresAt } = await session({ renew: true }));
      products = await loadProducts(token, skus);
      if (products === null) throw new Error('the server refused a new demo session.');
    }
    catalog = { token, skus, expiresAt };
    document.getElementById('customer').textContent = customerId;
    client = new OrderGate.OrderGateClient({ url: '/graphql', authToken: token, customerId });
    renderProducts(products);
    button.addEventListener('click', () => {
      onPlaceOrder().catch((error) => {
        status.textContent = `Something went wrong: ${error.message}`;
        button.disabled = false;
      });
    });
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    if (pending) {
      // A reload interrupted a submit: finish that intent with its own key before anything else.
      status.textContent = 'Resuming your order…';
      return submit(pending);
    }
    button.disabled = false;
  }

  start().catch((error) => {
    status.textContent = `The demo could not start: ${error.message}`;
  });
})();
