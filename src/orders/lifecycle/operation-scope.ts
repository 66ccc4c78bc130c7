/** The mutations of an order's life after createOrder, each with keys of its own (claims are scoped by operation). */
export type LifecycleOperation =
  'cancelOrder' | 'refundOrder' | 'changeShippingAddress' | 'adjustInventory' | 'releaseHeldOrder' | 'dismissHeldOrder';
