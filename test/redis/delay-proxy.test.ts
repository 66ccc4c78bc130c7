import net from 'node:net';
import { startDelayProxy } from '../support/delay-proxy';

/**
 * The slow-Redis storm (test/distributed/slow-redis.test.ts) trusts this proxy to slow a TCP
 * stream, never to reorder it: chunks passed on out of order are replies handed to the wrong
 * commands (a GET answered with another customer's claim), a fault no network makes.
 */
describe('the delaying proxy of the slow-Redis storm', () => {
  it('passes every byte on in the order it came, whatever delay each chunk draws', async () => {
    const received: Buffer[] = [];
    let receivedBytes = 0;
    const upstream = net.createServer((socket) =>
      socket.on('data', (chunk) => {
        received.push(chunk);
        receivedBytes += chunk.length;
      }),
    );
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const proxy = await startDelayProxy((upstream.address() as net.AddressInfo).port);
    proxy.setDelay(() => Math.random() * 120);
    const client = net.connect(proxy.port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const messages = 600;
    let sent = '';
    for (let index = 0; index < messages; index++) {
      const message = `${String(index).padStart(6, '0')}\n`;
      sent += message;
      client.write(message);
      // One chunk each: the next write after the loop turned (and often after Date.now() moved).
      await new Promise((resolve) => setTimeout(resolve, index % 3 === 0 ? 1 : 0));
    }
    const deadline = Date.now() + 10_000;
    while (receivedBytes < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    client.destroy();
    await proxy.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    // The fault was possible: the stream really went through as many chunks, each held apart.
    expect(proxy.stats.chunks).toBeGreaterThan(messages / 2);
    expect(Buffer.concat(received).toString()).toBe(sent);
  });
});
