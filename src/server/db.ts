// One PrismaClient per process (cached on globalThis so Next dev HMR does not leak pools).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { serverEnv } from "./env";

const globalForDb = globalThis as unknown as { pactsDb?: PrismaClient };

export function createDb(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

export function getDb(): PrismaClient {
  globalForDb.pactsDb ??= createDb(serverEnv().DATABASE_URL);
  return globalForDb.pactsDb;
}

export type Db = PrismaClient;
