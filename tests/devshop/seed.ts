// A deterministic, believable shop: a catalog with real variant ladders and accessories,
// and two years of orders whose structure is real (accessories with their device,
// consumables re-bought on a rhythm, upgrades, seasonality, cancellations and refunds).
import type { Collection, Customer, Order, OrderLine, Product, Store, Variant } from "./store.ts";
import { mulberry32 } from "./random.ts";

export const SEED_VERSION = "1";
export const SEED_END = Date.UTC(2026, 9, 31, 23, 0, 0);
export const SEED_START = Date.UTC(2024, 10, 1);
const DAY = 86_400_000;

/** Typical days between repeat purchases of each consumable line. */
export const REFILL_DAYS = { capsules: 30, brushHeads: 90, ink: 60, blades: 45 } as const;

interface Draft {
  title: string;
  vendor: string;
  type: string;
  tags: string[];
  collection: string;
  option?: { name: string; values: string[]; prices: number[] };
  price?: number;
  /** Role in the order model. */
  role?: string;
  /** For accessories: the device product's title. */
  forDevice?: string;
}

const handleOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

function catalogDrafts(): Draft[] {
  const d: Draft[] = [];
  const phones = ["Nimbus 8", "Nimbus 8 Pro", "Nimbus 9", "Nimbus 9 Pro", "Vireo One", "Vireo One Max", "Vireo Two", "Vireo Two Max"];
  phones.forEach((name, i) => {
    const base = 39900 + i * 6000;
    d.push({ title: `${name} smartphone`, vendor: name.split(" ")[0]!, type: "Smartphone", tags: ["phone", `gen-${Math.floor(i / 2) + 1}`], collection: "Phones", role: "phone",
      option: { name: "Storage", values: ["64 GB", "128 GB", "256 GB"], prices: [base, base + 7000, base + 15000] } });
    d.push({ title: `${name} silicone case`, vendor: "Armour", type: "Phone case", tags: ["accessory", "case"], collection: "Phone accessories", role: "phone-acc", forDevice: `${name} smartphone`,
      option: { name: "Color", values: ["Black", "Sand", "Sage", "Coral"], prices: [2900, 2900, 2900, 2900] } });
    d.push({ title: `${name} tempered glass screen protector`, vendor: "Armour", type: "Screen protector", tags: ["accessory"], collection: "Phone accessories", role: "phone-acc", forDevice: `${name} smartphone`, price: 1900 });
    d.push({ title: `${name} wireless charging stand`, vendor: "Voltline", type: "Charger", tags: ["accessory", "charger"], collection: "Phone accessories", role: "phone-acc", forDevice: `${name} smartphone`, price: 3900 });
  });
  const laptops = ["Aerobook 13", "Aerobook 15", "Aerobook Pro 14", "Aerobook Pro 16", "Fieldtop 14", "Fieldtop 16"];
  laptops.forEach((name, i) => {
    const base = 89900 + i * 15000;
    d.push({ title: `${name} laptop`, vendor: name.split(" ")[0]!, type: "Laptop", tags: ["laptop"], collection: "Laptops", role: "laptop",
      option: { name: "Memory", values: ["8 GB", "16 GB", "32 GB"], prices: [base, base + 20000, base + 45000] } });
    d.push({ title: `${name} felt sleeve`, vendor: "Armour", type: "Laptop sleeve", tags: ["accessory"], collection: "Laptop accessories", role: "laptop-acc", forDevice: `${name} laptop`, price: 3900 });
    d.push({ title: `${name} USB-C dock`, vendor: "Voltline", type: "Dock", tags: ["accessory"], collection: "Laptop accessories", role: "laptop-acc", forDevice: `${name} laptop`, price: 8900 });
    d.push({ title: `${name} 100 W charger`, vendor: "Voltline", type: "Charger", tags: ["accessory", "charger"], collection: "Laptop accessories", role: "laptop-acc", forDevice: `${name} laptop`, price: 5900 });
  });
  ["Wireless mouse", "Mechanical keyboard", "27-inch monitor", "Webcam HD", "Laptop stand"].forEach((t, i) =>
    d.push({ title: t, vendor: "Deskline", type: "Peripheral", tags: ["desk"], collection: "Laptop accessories", role: "desk", price: 2900 + i * 4000 }));
  const audioKinds = ["Studio headphones", "Sport earbuds", "Noise-cancelling headphones", "Bluetooth speaker", "Soundbar", "Kids headphones"];
  for (let i = 0; i < 24; i++) {
    const kind = audioKinds[i % audioKinds.length]!;
    d.push({ title: `${["Echo", "Pulse", "Tide", "Orbit"][i % 4]} ${kind.toLowerCase()} ${Math.floor(i / 6) + 1}`, vendor: ["Sonora", "Hertz & Co"][i % 2]!, type: kind, tags: ["audio"], collection: "Audio", role: "audio",
      option: { name: "Color", values: ["Black", "White"], prices: [4900 + i * 700, 4900 + i * 700] } });
  }
  ["Barista One", "Barista Duo", "Lungo Compact", "Lungo Plus", "Crema Pro", "Crema Mini"].forEach((name, i) => {
    d.push({ title: `${name} capsule machine`, vendor: "Crema", type: "Coffee machine", tags: ["coffee", "machine"], collection: "Coffee & capsules", role: "coffee-machine", price: 9900 + i * 3000 });
  });
  ["Ristretto", "Espresso", "Lungo", "Decaf", "Colombia", "Ethiopia", "Vanilla", "Caramel", "Hazelnut", "Kenya", "Brazil", "India"].forEach((blend, i) =>
    d.push({ title: `${blend} coffee capsules`, vendor: "Crema", type: "Coffee capsules", tags: ["coffee", "consumable"], collection: "Coffee & capsules", role: "capsules",
      option: { name: "Pack size", values: ["10 capsules", "30 capsules", "50 capsules"], prices: [450 + i * 10, 1250 + i * 20, 1990 + i * 30] } }));
  ["Brilliant 3", "Brilliant 5", "Brilliant 7", "Sonic Kids", "Sonic Pro", "Sonic Travel"].forEach((name, i) => {
    d.push({ title: `${name} electric toothbrush`, vendor: "Dentra", type: "Electric toothbrush", tags: ["personal-care", "device"], collection: "Personal care", role: "toothbrush", price: 3900 + i * 1500 });
    d.push({ title: `${name} replacement brush heads`, vendor: "Dentra", type: "Brush heads", tags: ["personal-care", "consumable"], collection: "Personal care", role: "brush-heads", forDevice: `${name} electric toothbrush`,
      option: { name: "Pack size", values: ["2 heads", "4 heads", "8 heads"], prices: [990, 1790, 3190] } });
  });
  ["Edge razor", "Edge Pro razor"].forEach((name, i) => {
    d.push({ title: name, vendor: "Keen", type: "Razor", tags: ["personal-care", "device"], collection: "Personal care", role: "razor", price: 1900 + i * 1500 });
    d.push({ title: `${name} blades`, vendor: "Keen", type: "Razor blades", tags: ["personal-care", "consumable"], collection: "Personal care", role: "blades", forDevice: name,
      option: { name: "Pack size", values: ["4 blades", "8 blades", "16 blades"], prices: [1190, 1990, 3490] } });
  });
  ["Inkjet Home", "Inkjet Photo", "Laser Office", "Laser Pro", "Inkjet Mini", "Laser Colour"].forEach((name, i) => {
    d.push({ title: `${name} printer`, vendor: "Printa", type: "Printer", tags: ["printer"], collection: "Printers & ink", role: "printer", price: 7900 + i * 4000 });
    d.push({ title: `${name} black ink cartridge`, vendor: "Printa", type: "Ink", tags: ["ink", "consumable"], collection: "Printers & ink", role: "ink", forDevice: `${name} printer`,
      option: { name: "Pack size", values: ["Single", "Twin pack", "XL"], prices: [1990, 3590, 2990] } });
    d.push({ title: `${name} colour ink cartridge`, vendor: "Printa", type: "Ink", tags: ["ink", "consumable"], collection: "Printers & ink", role: "ink", forDevice: `${name} printer`, price: 2490 });
    d.push({ title: `${name} photo paper`, vendor: "Printa", type: "Paper", tags: ["paper"], collection: "Printers & ink", role: "printer-acc", forDevice: `${name} printer`, price: 1290 });
  });
  const summer = ["Linen shirt", "Cotton t-shirt", "Swim shorts", "Summer dress", "Chino shorts", "Canvas sneakers", "Sun hat"];
  const winter = ["Wool sweater", "Down jacket", "Thermal leggings", "Knit beanie", "Rain coat", "Flannel shirt", "Winter boots"];
  const allSeason = ["Slim jeans", "Hoodie", "Polo shirt", "Running tee", "Joggers", "Denim jacket"];
  const colors = ["Navy", "Olive", "Stone", "Black", "Rust"];
  for (const [names, season] of [[summer, "summer"], [winter, "winter"], [allSeason, "all-season"]] as const) {
    names.forEach((n, i) => colors.slice(0, season === "all-season" ? 5 : 4).forEach((c, j) => {
      const price = 2900 + ((i * 7 + j * 3) % 9) * 1000;
      d.push({ title: `${n} — ${c}`, vendor: ["Northwind", "Fjell", "Coastline"][(i + j) % 3]!, type: n, tags: ["apparel", season], collection: "Apparel", role: `apparel-${season}`,
        option: { name: "Size", values: ["S", "M", "L", "XL"], prices: [price, price, price, price + 300] } });
    }));
  }
  const homeKinds = ["Ceramic mug", "Linen napkins", "Scented candle", "Throw blanket", "Cushion cover", "Glass carafe", "Oak serving board", "Table lamp", "Plant pot", "Wall clock"];
  for (let i = 0; i < 70; i++) {
    const kind = homeKinds[i % homeKinds.length]!;
    d.push({ title: `${kind} ${["Alba", "Brisa", "Cielo", "Duna", "Eira", "Fonte", "Gaia"][Math.floor(i / 10)]}`, vendor: ["Hearth", "Casa Nova"][i % 2]!, type: kind, tags: ["home"], collection: "Home", role: "home", price: 1490 + (i % 10) * 600 });
  }
  for (const [name, device] of [["Phone Care", "phone"], ["Laptop Care", "laptop"], ["Appliance Care", "coffee-machine"]] as const) {
    d.push({ title: `${name} protection plan`, vendor: "Uplift Demo Store", type: "Warranty", tags: ["service", device], collection: "Services", role: `care-${device}`,
      option: { name: "Plan", values: ["Standard", "Plus", "Premium"], prices: [4900, 7900, 11900] } });
  }
  d.push({ title: "Setup and data transfer", vendor: "Uplift Demo Store", type: "Service", tags: ["service"], collection: "Services", role: "setup", price: 2900 });
  d.push({ title: "Gift wrapping", vendor: "Uplift Demo Store", type: "Service", tags: ["service", "gift"], collection: "Services", role: "gift-wrap", price: 500 });
  return d;
}

export interface SeedResult {
  seeded: boolean;
  products: number;
  variants: number;
  collections: number;
  customers: number;
  orders: number;
  ms: number;
}

export function seedShop(store: Store, { shop }: { shop: string }): SeedResult {
  const started = performance.now();
  const counts = () => ({
    products: store.products.size,
    variants: [...store.products.values()].reduce((n, p) => n + p.variants.length, 0),
    collections: store.collections.size,
    customers: store.customers.size,
    orders: store.orders.size,
  });
  if (store.getMeta("seed_version") === SEED_VERSION) return { seeded: false, ...counts(), ms: performance.now() - started };

  const rand = mulberry32(20261122);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;

  store.transaction(() => {
    store.setShop({ domain: shop, name: "Uplift Demo Store", email: "owner@uplift-demo.example", currency: "EUR", presentmentCurrencies: ["EUR", "USD", "GBP"], timezone: "Europe/Paris" });

    // Catalog.
    const drafts = catalogDrafts();
    const products: (Product & { role?: string; forDevice?: string })[] = [];
    const byTitle = new Map<string, Product>();
    const collections = new Map<string, Collection>();
    let variantId = 40_000_000_000;
    drafts.forEach((draft, index) => {
      const id = 8_000_000_000 + index + 1;
      const created = new Date(SEED_START - (30 + index) * DAY).toISOString();
      const option = draft.option ?? { name: "Title", values: ["Default Title"], prices: [draft.price ?? 1000] };
      const variants: Variant[] = option.values.map((value, position) => ({
        id: ++variantId,
        productId: id,
        title: value,
        sku: `${handleOf(draft.title).slice(0, 18).toUpperCase()}-${position + 1}`,
        price: option.prices[position]!,
        compareAtPrice: chance(0.1) ? Math.round(option.prices[position]! * 1.2) : null,
        inventoryQuantity: chance(0.06) ? 0 : 5 + Math.floor(rand() * 200),
        options: [{ name: option.name, value }],
        position: position + 1,
      }));
      const product: Product = {
        id, title: draft.title, handle: handleOf(draft.title), status: "ACTIVE", vendor: draft.vendor, productType: draft.type,
        tags: draft.tags, description: `${draft.title} from ${draft.vendor}.`, imageUrl: null, createdAt: created, updatedAt: created,
        options: [{ name: option.name, values: option.values }], variants,
      };
      store.put("product", product);
      products.push(Object.assign({}, product, { role: draft.role, forDevice: draft.forDevice }));
      byTitle.set(product.title, product);
      const collection = collections.get(draft.collection) ?? { id: 600_000_000 + collections.size + 1, title: draft.collection, handle: handleOf(draft.collection), productIds: [] };
      collection.productIds.push(id);
      collections.set(draft.collection, collection);
    });
    for (const c of collections.values()) store.put("collection", c);

    // Customers.
    const first = ["Alex", "Sam", "Camille", "Luca", "Marie", "Jonas", "Sofia", "Noah", "Elena", "Hugo", "Mia", "Leo", "Clara", "Paul", "Nina", "Tom"];
    const last = ["Martin", "Rossi", "Müller", "García", "Bernard", "Bianchi", "Schmidt", "López", "Dubois", "Weber", "Moreau", "Romano"];
    const customers: Customer[] = [];
    for (let i = 0; i < 8000; i++) {
      const tags = [chance(0.3) ? "newsletter" : null, chance(0.05) ? "vip" : null, chance(0.02) ? "wholesale" : null].filter((t): t is string => !!t);
      const c: Customer = { id: 7_000_000_000 + i + 1, firstName: pick(first), lastName: pick(last), email: `customer${i + 1}@example.com`, tags, createdAt: new Date(SEED_START - DAY).toISOString() };
      store.put("customer", c);
      customers.push(c);
    }

    // Orders.
    const role = (r: string) => products.filter((p) => p.role === r);
    const accessoriesOf = (device: Product) => products.filter((p) => p.forDevice === device.title);
    const careFor = (device: string) => products.find((p) => p.role === `care-${device}`)!;
    const orders: Omit<Order, "id" | "name">[] = [];
    let lineId = 90_000_000_000;
    const line = (p: Product, variant?: Variant, quantity = 1): OrderLine => {
      const v = variant ?? p.variants[Math.floor(rand() * p.variants.length)]!;
      return { id: ++lineId, productId: p.id, variantId: v.id, title: `${p.title}${v.title === "Default Title" ? "" : ` - ${v.title}`}`, quantity, currentQuantity: quantity, price: v.price };
    };
    // Seasonality: a weight per month (0 = January), Q4 peak.
    const monthWeight = [0.8, 0.75, 0.85, 0.9, 0.95, 1.0, 1.0, 0.95, 0.9, 1.0, 1.5, 1.8];
    const span = SEED_END - SEED_START;
    const randomDate = (): number => {
      for (;;) {
        const t = SEED_START + rand() * span;
        if (rand() * 1.8 < monthWeight[new Date(t).getUTCMonth()]!) return t;
      }
    };
    const summerMonth = (t: number) => { const m = new Date(t).getUTCMonth(); return m >= 4 && m <= 7; };
    const winterMonth = (t: number) => { const m = new Date(t).getUTCMonth(); return m >= 9 || m <= 1; };
    const refills: { customer: Customer; product: Product; variant: Variant; every: number; from: number }[] = [];
    const upgrades: { customer: Customer; from: number; variantIndex: number; model: number }[] = [];
    const phones = role("phone");

    const baseOrders = 24_000;
    for (let i = 0; i < baseOrders; i++) {
      const at = randomDate();
      const customer = chance(0.92) ? pick(customers) : null;
      const lines: OrderLine[] = [];
      const intent = rand();
      const addAccessories = (device: Product, probabilities: number[]) =>
        accessoriesOf(device).forEach((acc, k) => { if (chance(probabilities[k] ?? 0.2)) lines.push(line(acc)); });
      if (intent < 0.14) {
        const phoneIndex = Math.floor(rand() * phones.length);
        const phone = phones[phoneIndex]!;
        const storage = rand() < 0.45 ? 0 : rand() < 0.64 ? 1 : 2;
        lines.push(line(phone, phone.variants[storage]));
        addAccessories(phone, [0.55, 0.3, 0.4]);
        if (chance(0.15)) lines.push(line(careFor("phone"), careFor("phone").variants[rand() < 0.6 ? 0 : rand() < 0.7 ? 1 : 2]));
        if (customer && storage < 2 && chance(0.12)) upgrades.push({ customer, from: at, variantIndex: storage + 1, model: Math.min(phones.length - 1, phoneIndex + (phoneIndex % 2 === 0 ? 1 : 2)) });
      } else if (intent < 0.21) {
        const laptop = pick(role("laptop"));
        lines.push(line(laptop, laptop.variants[rand() < 0.5 ? 0 : rand() < 0.7 ? 1 : 2]));
        addAccessories(laptop, [0.45, 0.25, 0.2]);
        if (chance(0.3)) lines.push(line(pick(role("desk"))));
        if (chance(0.12)) lines.push(line(careFor("laptop"), careFor("laptop").variants[0]));
      } else if (intent < 0.26) {
        const machine = pick(role("coffee-machine"));
        lines.push(line(machine));
        const caps = [pick(role("capsules")), pick(role("capsules"))];
        caps.forEach((c, k) => { if (k === 0 || chance(0.5)) lines.push(line(c, c.variants[1])); });
        if (chance(0.08)) lines.push(line(careFor("coffee-machine"), careFor("coffee-machine").variants[0]));
        if (customer && chance(0.7)) refills.push({ customer, product: caps[0]!, variant: caps[0]!.variants[rand() < 0.6 ? 1 : 2]!, every: REFILL_DAYS.capsules, from: at });
      } else if (intent < 0.31) {
        const brush = pick(role("toothbrush"));
        lines.push(line(brush));
        const heads = accessoriesOf(brush)[0]!;
        if (chance(0.45)) lines.push(line(heads, heads.variants[1]));
        if (customer && chance(0.6)) refills.push({ customer, product: heads, variant: heads.variants[rand() < 0.7 ? 1 : 0]!, every: REFILL_DAYS.brushHeads, from: at });
      } else if (intent < 0.33) {
        const razor = pick(role("razor"));
        lines.push(line(razor));
        const blades = accessoriesOf(razor)[0]!;
        lines.push(line(blades, blades.variants[0]));
        if (customer && chance(0.6)) refills.push({ customer, product: blades, variant: blades.variants[1]!, every: REFILL_DAYS.blades, from: at });
      } else if (intent < 0.36) {
        const printer = pick(role("printer"));
        lines.push(line(printer));
        const [black, colour, paper] = accessoriesOf(printer);
        if (chance(0.75)) lines.push(line(black!, black!.variants[0]));
        if (chance(0.4)) lines.push(line(colour!));
        if (chance(0.3)) lines.push(line(paper!));
        if (customer && chance(0.65)) refills.push({ customer, product: black!, variant: black!.variants[rand() < 0.5 ? 0 : 2]!, every: REFILL_DAYS.ink, from: at });
      } else if (intent < 0.62) {
        const season = summerMonth(at) && chance(0.7) ? "apparel-summer" : winterMonth(at) && chance(0.7) ? "apparel-winter" : "apparel-all-season";
        const count = 1 + Math.floor(rand() * rand() * 4);
        for (let k = 0; k < count; k++) lines.push(line(pick(role(k === 0 ? season : pick(["apparel-summer", "apparel-winter", "apparel-all-season"].filter((s) => s !== season || k > 1))))));
      } else if (intent < 0.82) {
        const count = 1 + Math.floor(rand() * rand() * 3);
        for (let k = 0; k < count; k++) lines.push(line(pick(role("home")), undefined, chance(0.15) ? 2 : 1));
        if (new Date(at).getUTCMonth() >= 10 && chance(0.35)) lines.push(line(pick(role("gift-wrap"))));
      } else if (intent < 0.94) {
        lines.push(line(pick(role("audio"))));
        if (chance(0.15)) lines.push(line(pick(role("audio"))));
      } else {
        // Standalone accessory and consumable purchases.
        lines.push(line(pick([...role("phone-acc"), ...role("capsules"), ...role("laptop-acc"), ...role("desk")])));
      }
      orders.push({ createdAt: new Date(at).toISOString(), cancelledAt: null, currency: "EUR", customerId: customer?.id ?? null, lines });
    }
    // Consumables re-bought on their rhythm (±20 %), until the customer drifts away.
    for (const r of refills) {
      let t = r.from;
      for (;;) {
        t += r.every * DAY * (0.8 + rand() * 0.4);
        if (t > SEED_END || chance(0.08)) break;
        orders.push({ createdAt: new Date(t).toISOString(), cancelledAt: null, currency: "EUR", customerId: r.customer.id, lines: [line(r.product, r.variant)] });
      }
    }
    // Upgrades: a bigger storage tier of the same or a newer model, months later.
    for (const u of upgrades) {
      const t = u.from + (120 + rand() * 300) * DAY;
      if (t > SEED_END) continue;
      const phone = phones[u.model]!;
      orders.push({ createdAt: new Date(t).toISOString(), cancelledAt: null, currency: "EUR", customerId: u.customer.id, lines: [line(phone, phone.variants[u.variantIndex])] });
    }
    orders.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    orders.forEach((o, index) => {
      const order: Order = { id: 5_000_000_000 + index + 1, name: `#${1001 + index}`, ...o };
      if (chance(0.02)) {
        order.cancelledAt = new Date(Date.parse(order.createdAt) + DAY).toISOString();
        order.lines.forEach((l) => (l.currentQuantity = 0));
      } else if (chance(0.03)) {
        const refunded = order.lines[Math.floor(rand() * order.lines.length)]!;
        refunded.currentQuantity = 0;
      }
      store.put("order", order);
    });
    store.setMeta("seed_version", SEED_VERSION);
  });
  return { seeded: true, ...counts(), ms: performance.now() - started };
}
