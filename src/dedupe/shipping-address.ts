/** A shipping address, with the fields of the order-record schema's `shippingAddress`. */
export interface ShippingAddress {
  name?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  /** Empty for historical orders imported without one. */
  postalCode: string;
  /** ISO 3166-1 alpha-2, any case. */
  country: string;
}
