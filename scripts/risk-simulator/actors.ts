import { contentOf, neighbour, randomAddress, randomCart, resend, skuRange } from './order-content';
import type { OrderContent, ResendVariant } from './order-content';
import type { Random } from './random';
import type { SimulatedChannel } from './history-rows';

/** One request to create an order, as its sender sends it (what the system makes of it comes later). */
export interface Submission {
  at: number;
  customerId: string;
  channel: SimulatedChannel;
  salesSource: string | null;
  idempotencyKey: string;
  content: OrderContent;
  /** Truth: a repeat of an intent already sent. */
  duplicate: boolean;
  /** Which intent it carries: a first send and its resends share one. */
  intent: string;
  actor: string;
  kind: string;
  /** Chance that the sender confirms and places the order anyway when it is held. */
  confirmChance: number;
  /** Chance that the sender repeats the request with the same key after it succeeded. */
  retryChance: number;
}

type DelayRanges = readonly (readonly [readonly [number, number], number])[];

/** A resend of the same intent with a new key (reload, regenerated id, bot loop). */
interface ResendHabit {
  chance: number;
  delaySeconds: DelayRanges;
  variants: readonly (readonly [ResendVariant, number])[];
  copies?: readonly [number, number];
  confirmChance: number;
}

/** A deliberate second order of the same thing (another colleague, another walk-in, a gift). */
interface RepeatHabit {
  chance: number;
  delaySeconds: DelayRanges;
  copies: readonly [number, number];
  confirmChance: number;
}

interface ActorKind {
  actor: string;
  count: number;
  ordersPerDay: number;
  channels: readonly (readonly [SimulatedChannel, number])[];
  salesSource: (index: number) => string | null;
  skus: readonly string[];
  maxLines: number;
  withAddress: boolean;
  /** Orders drawn from this many favourite carts (repeat buyers); 0: any cart. */
  favouriteCarts: number;
  retryChance: number;
  firstConfirmChance: number;
  resend: ResendHabit;
  repeat: RepeatHabit;
}

const NONE = {
  chance: 0,
  delaySeconds: [[[1, 2], 1]],
  copies: [1, 1],
  confirmChance: 0,
  variants: [['exact', 1]],
} as const;
const SHOP_SKUS = skuRange('SKU', 80);
/** Chance that an order is followed by an honest one of the same cart to a neighbour's address. */
const LOOKALIKE_CHANCE = 0.03;

function marketplace(source: string, count: number, redelivery: number, retry: number, late: number): ActorKind {
  return {
    actor: `marketplace:${source}`,
    count,
    ordersPerDay: 0.15,
    channels: [['MARKETPLACE', 1]],
    salesSource: () => source,
    skus: SHOP_SKUS,
    maxLines: 3,
    withAddress: true,
    favouriteCarts: 0,
    retryChance: retry,
    firstConfirmChance: 0,
    // A regenerated marketplace order id: the same order under a new key, often long after.
    resend: {
      chance: redelivery,
      delaySeconds: [
        [[5, 120], 1 - late],
        [[300, 3_600], late],
      ],
      variants: [
        ['exact', 0.5],
        ['reformatted', 0.5],
      ],
      confirmChance: 0,
    },
    // A buyer who really orders twice; a webhook cannot confirm a held order.
    repeat: { chance: 0.02, delaySeconds: [[[120, 1_800], 1]], copies: [1, 1], confirmChance: 0 },
  };
}

/** Who sends orders, how often, and how they resend. */
export const ACTOR_KINDS: readonly ActorKind[] = [
  {
    actor: 'shopper',
    count: 4_000,
    ordersPerDay: 0.15,
    channels: [
      ['WEB', 0.6],
      ['MOBILE', 0.4],
    ],
    salesSource: () => null,
    skus: SHOP_SKUS,
    maxLines: 3,
    withAddress: true,
    favouriteCarts: 0,
    retryChance: 0.05,
    firstConfirmChance: 0.85,
    // Most reload at once; some order again minutes later because no confirmation arrived.
    resend: {
      chance: 0.03,
      delaySeconds: [
        [[2, 90], 0.75],
        [[120, 900], 0.25],
      ],
      variants: [
        ['exact', 0.8],
        ['reformatted', 0.15],
        ['retyped', 0.05],
      ],
      confirmChance: 0.05,
    },
    // One for a sister too: sometimes within the minute.
    repeat: {
      chance: 0.04,
      delaySeconds: [
        [[20, 120], 0.2],
        [[120, 1_800], 0.8],
      ],
      copies: [1, 1],
      confirmChance: 0.85,
    },
  },
  {
    actor: 'double-submitter',
    count: 300,
    ordersPerDay: 0.2,
    channels: [
      ['MOBILE', 0.7],
      ['WEB', 0.3],
    ],
    salesSource: () => null,
    skus: SHOP_SKUS,
    maxLines: 3,
    withAddress: true,
    favouriteCarts: 0,
    retryChance: 0.3,
    firstConfirmChance: 0.8,
    resend: {
      chance: 0.35,
      delaySeconds: [
        [[1, 60], 0.85],
        [[60, 900], 0.15],
      ],
      variants: [
        ['exact', 0.6],
        ['reformatted', 0.25],
        ['retyped', 0.15],
      ],
      confirmChance: 0.05,
    },
    repeat: { chance: 0.03, delaySeconds: [[[60, 1_800], 1]], copies: [1, 1], confirmChance: 0.85 },
  },
  {
    actor: 'repeat-buyer',
    count: 150,
    ordersPerDay: 0.8,
    channels: [
      ['WEB', 0.5],
      ['API', 0.5],
    ],
    salesSource: () => null,
    skus: SHOP_SKUS,
    maxLines: 2,
    withAddress: true,
    favouriteCarts: 2,
    retryChance: 0.05,
    firstConfirmChance: 0.92,
    resend: { chance: 0.02, delaySeconds: [[[2, 60], 1]], variants: [['exact', 1]], confirmChance: 0.05 },
    repeat: { chance: 0.5, delaySeconds: [[[15, 480], 1]], copies: [1, 3], confirmChance: 0.92 },
  },
  {
    actor: 'pos-store',
    count: 10,
    ordersPerDay: 60,
    channels: [['POS', 1]],
    salesSource: (index) => `store-${index + 1}`,
    skus: skuRange('CAFE', 4),
    maxLines: 1,
    withAddress: false,
    favouriteCarts: 0,
    retryChance: 0.02,
    firstConfirmChance: 0.97,
    resend: { chance: 0.01, delaySeconds: [[[3, 20], 1]], variants: [['exact', 1]], confirmChance: 0.1 },
    repeat: NONE,
  },
  {
    actor: 'integration',
    count: 10,
    ordersPerDay: 40,
    channels: [['API', 1]],
    salesSource: () => null,
    skus: skuRange('B2B', 30),
    maxLines: 3,
    withAddress: true,
    favouriteCarts: 0,
    retryChance: 0.1,
    firstConfirmChance: 0.95,
    resend: { chance: 0.005, delaySeconds: [[[1, 10], 1]], variants: [['exact', 1]], confirmChance: 0.05 },
    repeat: { chance: 0.06, delaySeconds: [[[10, 300], 1]], copies: [1, 1], confirmChance: 0.95 },
  },
  {
    actor: 'bot',
    count: 25,
    ordersPerDay: 3,
    channels: [
      ['API', 0.5],
      ['WEB', 0.5],
    ],
    salesSource: () => null,
    skus: SHOP_SKUS,
    maxLines: 2,
    withAddress: true,
    favouriteCarts: 0,
    retryChance: 0.1,
    firstConfirmChance: 0,
    resend: { chance: 0.9, delaySeconds: [[[0.1, 3], 1]], variants: [['exact', 1]], copies: [1, 5], confirmChance: 0 },
    repeat: NONE,
  },
  marketplace('bazaar', 1_200, 0.004, 0.03, 0.3),
  marketplace('shopmax', 900, 0.004, 0.03, 0.3),
  marketplace('quickcart', 500, 0.15, 0.4, 0.6),
];

/** Every submission of every actor over `days` days from `startMs`, unsorted. */
export function submissionsOf(random: Random, startMs: number, days: number): Submission[] {
  const submissions: Submission[] = [];
  for (const kind of ACTOR_KINDS) {
    for (let index = 0; index < kind.count; index++) actSender(random, kind, index, startMs, days, submissions);
  }
  return submissions;
}

function actSender(
  random: Random,
  kind: ActorKind,
  index: number,
  startMs: number,
  days: number,
  out: Submission[],
): void {
  const customerId = `${kind.actor.replace(':', '-')}-${index + 1}`;
  const channel = random.weighted(kind.channels);
  const salesSource = kind.salesSource(index);
  const home = randomAddress(random);
  const favourites = Array.from({ length: kind.favouriteCarts }, () => randomCart(random, kind.skus, kind.maxLines));
  let serial = 0;
  const send = (
    at: number,
    content: OrderContent,
    intent: string,
    duplicate: boolean,
    kindName: string,
    confirmChance: number,
  ) => {
    serial += 1;
    const idempotencyKey =
      channel === 'MARKETPLACE' ? `${salesSource}:${random.token(10)}` : `${customerId}-${serial}-${random.token(6)}`;
    out.push({
      at,
      customerId,
      channel,
      salesSource,
      idempotencyKey,
      content,
      duplicate,
      intent,
      actor: kind.actor,
      kind: kindName,
      confirmChance,
      retryChance: kind.retryChance,
    });
  };
  for (let day = 0; day < days; day++) {
    for (let order = random.poisson(kind.ordersPerDay); order > 0; order--) {
      const at = startMs + day * 86_400_000 + random.between(7, 23) * 3_600_000;
      const cart = favourites.length ? random.pick(favourites) : randomCart(random, kind.skus, kind.maxLines);
      const content = contentOf('EUR', cart, kind.withAddress ? home : null);
      const intent = `${customerId}/${serial + 1}`;
      send(at, content, intent, false, 'first', kind.firstConfirmChance);
      if (random.chance(kind.resend.chance)) {
        let last = at;
        for (let copy = random.int(...(kind.resend.copies ?? [1, 1])); copy > 0; copy--) {
          last += delayMs(random, kind.resend.delaySeconds);
          send(
            last,
            resend(random, content, random.weighted(kind.resend.variants)),
            intent,
            true,
            'resend',
            kind.resend.confirmChance,
          );
        }
      }
      if (random.chance(kind.repeat.chance)) {
        let last = at;
        for (let copy = random.int(...kind.repeat.copies); copy > 0; copy--) {
          last += delayMs(random, kind.repeat.delaySeconds);
          send(last, content, `${customerId}/${serial + 1}`, false, 'honest-repeat', kind.repeat.confirmChance);
        }
      }
      if (kind.withAddress && random.chance(LOOKALIKE_CHANCE)) {
        const nextDoor = contentOf('EUR', cart, neighbour(random, home));
        const later = at + delayMs(random, [[[20, 1_800], 1]]);
        send(later, nextDoor, `${customerId}/${serial + 1}`, false, 'honest-lookalike', kind.repeat.confirmChance);
      }
    }
  }
}

function delayMs(random: Random, ranges: DelayRanges): number {
  const [min, max] = random.weighted(ranges);
  return Math.round(random.between(min, max) * 1_000);
}
