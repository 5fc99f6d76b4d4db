// Deterministic B2B demo data: companies and the people who use the product at them. Everything comes
// from one seeded Faker instance and a fixed reference date, so every machine (and every test) gets
// exactly the same rows: a newcomer's screenshots, docs and bug reports all talk about the same data.
import { base, en, Faker } from "@faker-js/faker";

export const DEMO_SEED = 20_250_601;
/** "Now" for the demo data; fixed, because `new Date()` would make the content differ per run. */
export const DEMO_REFERENCE_DATE = new Date("2025-06-01T00:00:00Z");
export const DEMO_COMPANY_COUNT = 400;
export const DEMO_CUSTOMER_COUNT = 3_000;

export const PLANS = ["free", "starter", "growth", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];

export interface DemoCompany {
  id: number;
  name: string;
  domain: string;
  industry: string;
  employeeCount: number;
  annualRevenueUsd: string;
  country: string;
  plan: Plan;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoCustomer {
  id: number;
  companyId: number;
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  phone: string;
  country: string;
  city: string;
  plan: Plan;
  lifetimeValueUsd: string;
  signedUpAt: Date;
  lastSeenAt: Date;
  isActive: boolean;
  leadScore: number;
  updatedAt: Date;
}

// ISO 3166-1 alpha-2 codes (what CRMs and ad platforms expect), weighted towards a typical SaaS customer base.
const COUNTRIES: { code: string; weight: number; cities: string[] }[] = [
  {
    code: "US",
    weight: 40,
    cities: ["New York", "San Francisco", "Austin", "Chicago", "Seattle", "Boston", "Denver", "Atlanta"],
  },
  { code: "GB", weight: 12, cities: ["London", "Manchester", "Edinburgh", "Bristol"] },
  { code: "DE", weight: 9, cities: ["Berlin", "Munich", "Hamburg", "Cologne"] },
  { code: "FR", weight: 7, cities: ["Paris", "Lyon", "Nantes"] },
  { code: "CA", weight: 7, cities: ["Toronto", "Vancouver", "Montreal"] },
  { code: "NL", weight: 5, cities: ["Amsterdam", "Rotterdam", "Utrecht"] },
  { code: "AU", weight: 5, cities: ["Sydney", "Melbourne", "Brisbane"] },
  { code: "ES", weight: 4, cities: ["Madrid", "Barcelona", "Valencia"] },
  { code: "SE", weight: 3, cities: ["Stockholm", "Gothenburg"] },
  { code: "IE", weight: 3, cities: ["Dublin", "Cork"] },
  { code: "IN", weight: 3, cities: ["Bengaluru", "Mumbai", "Pune"] },
  { code: "SG", weight: 2, cities: ["Singapore"] },
];

const INDUSTRIES = [
  "Software",
  "Financial Services",
  "E-commerce",
  "Healthcare",
  "Education",
  "Media",
  "Manufacturing",
  "Logistics",
  "Real Estate",
  "Marketing Services",
  "Travel",
  "Telecommunications",
];

const JOB_TITLES = [
  "Data Engineer",
  "Analytics Engineer",
  "Head of Data",
  "Data Analyst",
  "VP of Marketing",
  "Growth Marketing Manager",
  "Lifecycle Marketing Manager",
  "Marketing Operations Manager",
  "Head of Sales",
  "Account Executive",
  "Sales Operations Manager",
  "RevOps Lead",
  "Customer Success Manager",
  "Head of Customer Success",
  "Product Manager",
  "CTO",
  "CEO",
  "Founder",
  "Software Engineer",
  "Business Analyst",
];

// Bigger companies buy bigger plans; each row is [max employees, plan weights free/starter/growth/enterprise].
const PLAN_WEIGHTS_BY_SIZE: [number, number[]][] = [
  [50, [45, 35, 18, 2]],
  [500, [20, 30, 40, 10]],
  [Number.POSITIVE_INFINITY, [5, 10, 35, 50]],
];

const LTV_RANGE_USD: Record<Plan, [number, number]> = {
  free: [0, 0],
  starter: [200, 3_000],
  growth: [2_000, 25_000],
  enterprise: [20_000, 250_000],
};

const DAY_MS = 86_400_000;

export function generateDemoData(): { companies: DemoCompany[]; customers: DemoCustomer[] } {
  const faker = new Faker({ locale: [en, base], seed: DEMO_SEED });
  faker.setDefaultRefDate(DEMO_REFERENCE_DATE);
  const companies = generateCompanies(faker);
  return { companies, customers: generateCustomers(faker, companies) };
}

function pickCountry(faker: Faker) {
  return faker.helpers.weightedArrayElement(COUNTRIES.map((c) => ({ weight: c.weight, value: c })));
}

function generateCompanies(faker: Faker): DemoCompany[] {
  const domains = new Set<string>();
  const companies: DemoCompany[] = [];
  for (let id = 1; id <= DEMO_COMPANY_COUNT; id++) {
    const name = faker.company.name();
    const domain = uniqueDomain(faker, name, domains);
    // Log-uniform: many small companies, a few very large ones, as in any real customer base.
    const employeeCount = Math.round(10 ** faker.number.float({ min: 0.5, max: 4.7 }));
    const weights = PLAN_WEIGHTS_BY_SIZE.find(([max]) => employeeCount <= max)?.[1] ?? [1, 1, 1, 1];
    const plan = faker.helpers.weightedArrayElement(PLANS.map((value, i) => ({ value, weight: weights[i] ?? 1 })));
    const revenuePerEmployee = faker.number.int({ min: 60_000, max: 320_000 });
    const createdAt = faker.date.between({ from: "2018-01-01T00:00:00Z", to: "2024-12-31T00:00:00Z" });
    companies.push({
      id,
      name,
      domain,
      industry: faker.helpers.arrayElement(INDUSTRIES),
      employeeCount,
      annualRevenueUsd: (employeeCount * revenuePerEmployee).toFixed(2),
      country: pickCountry(faker).code,
      plan,
      createdAt,
      updatedAt: faker.date.between({ from: createdAt, to: DEMO_REFERENCE_DATE }),
    });
  }
  return companies;
}

function uniqueDomain(faker: Faker, name: string, taken: Set<string>): string {
  const stem =
    name
      .toLowerCase()
      .replace(/\b(and|llc|inc|group)\b/g, "")
      .replace(/[^a-z0-9]+/g, "")
      .slice(0, 24) || "company";
  const tld = faker.helpers.arrayElement(["com", "com", "com", "io", "co", "ai"]);
  let domain = `${stem}.${tld}`;
  for (let n = 2; taken.has(domain); n++) domain = `${stem}${n}.${tld}`;
  taken.add(domain);
  return domain;
}

function generateCustomers(faker: Faker, companies: DemoCompany[]): DemoCustomer[] {
  // Larger companies have more users; weight by log size so one giant does not take everyone.
  const byCompany = companies.map((c) => ({ value: c, weight: Math.log10(c.employeeCount + 1) }));
  const emails = new Set<string>();
  const customers: DemoCustomer[] = [];
  for (let id = 1; id <= DEMO_CUSTOMER_COUNT; id++) {
    const company = faker.helpers.weightedArrayElement(byCompany);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = uniqueEmail(firstName, lastName, company.domain, emails);
    // Most people work in their company's country; some are remote elsewhere.
    const home = faker.datatype.boolean({ probability: 0.8 })
      ? (COUNTRIES.find((c) => c.code === company.country) ?? pickCountry(faker))
      : pickCountry(faker);
    const signedUpAt = faker.date.between({ from: company.createdAt, to: DEMO_REFERENCE_DATE });
    // Most users of a live product were seen recently; the rest trail off since sign-up.
    const recentFrom = new Date(Math.max(signedUpAt.getTime(), DEMO_REFERENCE_DATE.getTime() - 45 * DAY_MS));
    const lastSeenFrom = faker.datatype.boolean({ probability: 0.65 }) ? recentFrom : signedUpAt;
    const lastSeenAt = faker.date.between({ from: lastSeenFrom, to: DEMO_REFERENCE_DATE });
    const [ltvMin, ltvMax] = LTV_RANGE_USD[company.plan];
    customers.push({
      id,
      companyId: company.id,
      email,
      firstName,
      lastName,
      jobTitle: faker.helpers.arrayElement(JOB_TITLES),
      phone: faker.phone.number({ style: "international" }),
      country: home.code,
      city: faker.helpers.arrayElement(home.cities),
      plan: company.plan,
      lifetimeValueUsd: faker.number.float({ min: ltvMin, max: ltvMax, fractionDigits: 2 }).toFixed(2),
      signedUpAt,
      lastSeenAt,
      // "Active" the way a success team means it: seen in the last 30 days.
      isActive: DEMO_REFERENCE_DATE.getTime() - lastSeenAt.getTime() <= 30 * DAY_MS,
      leadScore: faker.number.int({ min: 0, max: 100 }),
      updatedAt: lastSeenAt,
    });
  }
  return customers;
}

function uniqueEmail(firstName: string, lastName: string, domain: string, taken: Set<string>): string {
  const local = `${firstName}.${lastName}`
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "");
  let email = `${local}@${domain}`;
  for (let n = 2; taken.has(email); n++) email = `${local}${n}@${domain}`;
  taken.add(email);
  return email;
}
