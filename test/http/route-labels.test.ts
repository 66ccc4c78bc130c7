import { routeOf } from '../../src/http/request-logging';

describe('route labels of logs and metrics', () => {
  it('names known routes, templates routes with a parameter, and folds anything else into `other`', () => {
    expect(routeOf('/graphql')).toBe('/graphql');
    expect(routeOf('/api/v1/orders')).toBe('/api/v1/orders');
    expect(routeOf('/channels/marketplace/acme/orders')).toBe('/channels/marketplace/:source/orders');
    expect(routeOf('/channels/marketplace/acme/orders/x')).toBe('other');
    expect(routeOf('/wp-login.php')).toBe('other');
  });
});
