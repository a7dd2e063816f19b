// Proves the hand-written SQL migrations build exactly the database prisma/schema.prisma describes: migrate
// an empty database, then compare Prisma's own reading of the schema (DMMF) with pg_catalog. Any
// disagreement (table, column, type, nullability, default, enum label, index/constraint name or columns,
// FK target or onDelete, unindexed FK, extra table) is listed and fails the test.
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/server/db/migrate";
import { createEmptyDatabase } from "./helpers/test-db";

// getDMMF runs on Prisma's bundled wasm; these keep it from looking for or downloading the schema engine.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";
process.env.CHECKPOINT_DISABLE ??= "1";

const SCHEMA_PATH = path.resolve(import.meta.dirname, "../prisma/schema.prisma");
const PG_IDENT_MAX = 63;

// The slice of Prisma's DMMF this test reads (typed here to stay independent of @prisma/internals' deep types).
type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  name?: string;
  dbName?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
};
type DmmfEnum = { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] };
type Datamodel = { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };

async function loadDatamodel(): Promise<Datamodel> {
  const mod = (await import("@prisma/internals")) as unknown as {
    getDMMF?: (o: { datamodel: string }) => Promise<{ datamodel: Datamodel }>;
    default?: { getDMMF: (o: { datamodel: string }) => Promise<{ datamodel: Datamodel }> };
  };
  const getDMMF = mod.getDMMF ?? mod.default?.getDMMF;
  if (!getDMMF) throw new Error("@prisma/internals has no getDMMF");
  const dmmf = await getDMMF({ datamodel: await readFile(SCHEMA_PATH, "utf8") });
  return dmmf.datamodel;
}

// ---- what the database has ----------------------------------------------------------------------------

type DbColumn = { table: string; column: string; type: string; typname: string; notNull: boolean; default: string | null };
type DbIndex = { table: string; name: string; unique: boolean; primary: boolean; columns: string[]; desc: boolean[] };
type DbFk = {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
};
type DbSnapshot = {
  tables: string[];
  columns: DbColumn[];
  enums: Map<string, string[]>;
  indexes: DbIndex[];
  pkeys: { table: string; name: string }[];
  fks: DbFk[];
};

async function snapshotDatabase(c: pg.ClientBase): Promise<DbSnapshot> {
  const tables = (
    await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1`,
    )
  ).rows.map((r) => r.name);
  const columns = (
    await c.query<DbColumn>(
      `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type",
              t.typname AS "typname", a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "default"
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    )
  ).rows;
  const enumRows = (
    await c.query<{ name: string; label: string }>(
      `SELECT t.typname AS name, e.enumlabel AS label FROM pg_enum e
         JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`,
    )
  ).rows;
  const enums = new Map<string, string[]>();
  for (const r of enumRows) enums.set(r.name, [...(enums.get(r.name) ?? []), r.label]);
  const indexes = (
    await c.query<DbIndex>(
      `SELECT t.relname AS "table", i.relname AS "name", x.indisunique AS "unique", x.indisprimary AS "primary",
              ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "columns",
              ARRAY(SELECT (o & 1) = 1 FROM unnest(x.indoption::int2[]) WITH ORDINALITY k(o, ord) ORDER BY k.ord) AS "desc"
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public'`,
    )
  ).rows;
  const pkeys = (
    await c.query<{ table: string; name: string }>(
      `SELECT t.relname AS "table", con.conname AS "name" FROM pg_constraint con
         JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND con.contype = 'p'`,
    )
  ).rows;
  const fks = (
    await c.query<DbFk>(
      `SELECT t.relname AS "table", con.conname AS "name",
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "columns",
              r.relname AS "refTable",
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "refColumns",
              con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
         FROM pg_constraint con
         JOIN pg_class t ON t.oid = con.conrelid
         JOIN pg_class r ON r.oid = con.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND con.contype = 'f'`,
    )
  ).rows;
  return { tables, columns, enums, indexes, pkeys, fks };
}

// ---- what the schema says, in Prisma's conventions ------------------------------------------------------

const SCALAR_SQL_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
  Decimal: "numeric(65,30)",
};

/** pg's confdeltype letter for Prisma's referential action (Prisma's default when none is written). */
const FK_ACTION: Record<string, string> = { Cascade: "c", SetNull: "n", Restrict: "r", NoAction: "a", SetDefault: "d" };

const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (f: DmmfField) => f.dbName ?? f.name;
const enumDbName = (e: DmmfEnum) => e.dbName ?? e.name;

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The default expression Postgres reports (pg_get_expr) for Prisma's DDL of this field; null = no DB default. */
function expectedDefault(f: DmmfField, enumsByName: Map<string, DmmfEnum>): string | null {
  if (!f.hasDefaultValue) return null;
  const d = f.default;
  if (d && typeof d === "object" && "name" in d) {
    const fn = (d as { name: string }).name;
    if (fn === "now") return "CURRENT_TIMESTAMP";
    if (fn === "autoincrement") return "__serial__";
    return null; // cuid(), uuid(), nanoid(): generated by the client, not the database
  }
  if (f.kind === "enum") {
    const e = enumsByName.get(f.type)!;
    const v = e.values.find((x) => x.name === d);
    return `${quoteLiteral(v?.dbName ?? String(d))}::"${enumDbName(e)}"`;
  }
  switch (f.type) {
    case "String":
      return `${quoteLiteral(String(d))}::text`;
    case "Json":
      return `${quoteLiteral(String(d))}::jsonb`;
    case "Boolean":
      return String(d);
    case "Int":
    case "BigInt":
    case "Float":
      return String(d);
    default:
      return `__unsupported default for ${f.type}__`;
  }
}

/** Prisma's default constraint/index name: table_col1_col2_suffix (pkey is just table_pkey). */
function defaultIndexName(table: string, columns: string[], type: DmmfIndex["type"]): string {
  if (type === "id") return `${table}_pkey`;
  return `${table}_${columns.join("_")}_${type === "unique" ? "key" : "idx"}`;
}

function compareSchema(dm: Datamodel, db: DbSnapshot): string[] {
  const problems: string[] = [];
  const modelsByName = new Map(dm.models.map((m) => [m.name, m]));
  const enumsByName = new Map(dm.enums.map((e) => [e.name, e]));

  // Tables: exactly the models, plus Prisma's bookkeeping table.
  const expectedTables = new Set([...dm.models.map(tableOf), "_prisma_migrations"]);
  for (const t of expectedTables) if (!db.tables.includes(t)) problems.push(`table ${t}: missing`);
  for (const t of db.tables) if (!expectedTables.has(t)) problems.push(`table ${t}: not in schema.prisma`);

  // Enums: same types, same labels in the same order (@map'd labels as stored).
  const expectedEnums = new Set(dm.enums.map(enumDbName));
  for (const e of dm.enums) {
    const want = e.values.map((v) => v.dbName ?? v.name);
    const got = db.enums.get(enumDbName(e));
    if (!got) problems.push(`enum ${enumDbName(e)}: missing`);
    else if (got.join(",") !== want.join(",")) problems.push(`enum ${enumDbName(e)}: labels [${got}] != [${want}]`);
  }
  for (const name of db.enums.keys()) if (!expectedEnums.has(name)) problems.push(`enum ${name}: not in schema.prisma`);

  for (const m of dm.models) {
    const table = tableOf(m);
    const cols = db.columns.filter((c) => c.table === table);
    const fields = m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
    const fieldByName = new Map(m.fields.map((f) => [f.name, f]));
    const col = (fieldName: string) => columnOf(fieldByName.get(fieldName)!);

    // Columns: same set, type, nullability, default.
    for (const f of fields) {
      const where = `${table}.${columnOf(f)} (${m.name}.${f.name})`;
      const c = cols.find((x) => x.column === columnOf(f));
      if (!c) {
        problems.push(`column ${where}: missing`);
        continue;
      }
      if (f.isList) problems.push(`column ${where}: list fields are not handled by this test`);
      if (f.kind === "enum") {
        const e = enumsByName.get(f.type)!;
        if (c.typname !== enumDbName(e)) problems.push(`column ${where}: type ${c.type}, expected enum ${enumDbName(e)}`);
      } else {
        const want = SCALAR_SQL_TYPE[f.type];
        if (c.type !== want) problems.push(`column ${where}: type ${c.type}, expected ${want ?? `? (${f.type})`}`);
      }
      if (c.notNull !== f.isRequired) problems.push(`column ${where}: ${c.notNull ? "NOT NULL" : "nullable"}, expected ${f.isRequired ? "NOT NULL" : "nullable"}`);
      const wantDefault = expectedDefault(f, enumsByName);
      if ((c.default ?? null) !== wantDefault) {
        problems.push(`column ${where}: default ${c.default ?? "none"}, expected ${wantDefault ?? "none"}`);
      }
    }
    for (const c of cols) {
      if (!fields.some((f) => columnOf(f) === c.column)) problems.push(`column ${table}.${c.column}: not in schema.prisma`);
    }

    // Indexes, uniques and the primary key: same names, uniqueness, columns, sort order; nothing extra.
    const expected = dm.indexes
      .filter((i) => i.model === m.name)
      .map((i) => {
        const columns = i.fields.map((f) => col(f.name));
        const name = i.dbName ?? defaultIndexName(table, columns, i.type);
        return { i, name, columns, desc: i.fields.map((f) => f.sortOrder === "desc") };
      });
    const actual = db.indexes.filter((x) => x.table === table);
    for (const e of expected) {
      if (e.name.length > PG_IDENT_MAX) problems.push(`index ${e.name}: longer than ${PG_IDENT_MAX} chars, give it map:`);
      const a = actual.find((x) => x.name === e.name);
      if (!a) {
        problems.push(`index ${e.name} on ${table}(${e.columns}): missing`);
        continue;
      }
      if (a.columns.join(",") !== e.columns.join(",")) problems.push(`index ${e.name}: columns (${a.columns}) != (${e.columns})`);
      if (a.desc.join(",") !== e.desc.join(",")) problems.push(`index ${e.name}: DESC flags [${a.desc}] != [${e.desc}]`);
      if (a.unique !== (e.i.type !== "normal")) problems.push(`index ${e.name}: unique=${a.unique}, expected ${e.i.type !== "normal"}`);
      if (a.primary !== (e.i.type === "id")) problems.push(`index ${e.name}: primary=${a.primary}, expected ${e.i.type === "id"}`);
    }
    for (const a of actual) {
      if (!expected.some((e) => e.name === a.name)) problems.push(`index ${a.name} on ${table}: not in schema.prisma`);
    }
    const pk = expected.find((e) => e.i.type === "id");
    const dbPk = db.pkeys.find((p) => p.table === table);
    if (!pk) problems.push(`model ${m.name}: no @id (this test expects one)`);
    else if (dbPk?.name !== pk.name) problems.push(`primary key of ${table}: constraint ${dbPk?.name ?? "missing"}, expected ${pk.name}`);

    // Foreign keys: one per relation field that holds the FK, Prisma's name, target, actions; nothing extra.
    const relations = m.fields.filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0);
    const dbFks = db.fks.filter((x) => x.table === table);
    for (const r of relations) {
      const target = modelsByName.get(r.type)!;
      const targetFields = new Map(target.fields.map((f) => [f.name, f]));
      const columns = r.relationFromFields!.map(col);
      const refColumns = r.relationToFields!.map((n) => columnOf(targetFields.get(n)!));
      const name = `${table}_${columns.join("_")}_fkey`;
      const anyOptional = r.relationFromFields!.some((n) => !fieldByName.get(n)!.isRequired);
      const onDelete = FK_ACTION[r.relationOnDelete ?? (anyOptional ? "SetNull" : "Restrict")];
      const fk = dbFks.find((x) => x.name === name);
      if (!fk) {
        problems.push(`foreign key ${name}: missing`);
        continue;
      }
      if (fk.columns.join(",") !== columns.join(",")) problems.push(`foreign key ${name}: columns (${fk.columns}) != (${columns})`);
      if (fk.refTable !== tableOf(target) || fk.refColumns.join(",") !== refColumns.join(",")) {
        problems.push(`foreign key ${name}: references ${fk.refTable}(${fk.refColumns}), expected ${tableOf(target)}(${refColumns})`);
      }
      if (fk.onDelete !== onDelete) problems.push(`foreign key ${name}: ON DELETE '${fk.onDelete}', expected '${onDelete}' (${r.relationOnDelete ?? "default"})`);
      if (fk.onUpdate !== "c") problems.push(`foreign key ${name}: ON UPDATE '${fk.onUpdate}', expected CASCADE`);
      // Every FK indexed: some index must lead with exactly the FK's columns.
      const covered = actual.some((a) => columns.every((c, k) => a.columns[k] === c));
      if (!covered) problems.push(`foreign key ${name}: no index leads with (${columns})`);
    }
    for (const fk of dbFks) {
      const known = relations.some((r) => fk.name === `${table}_${r.relationFromFields!.map(col).join("_")}_fkey`);
      if (!known) problems.push(`foreign key ${fk.name} on ${table}: not in schema.prisma`);
    }
  }
  return problems;
}

describe("schema drift: prisma/migrations vs prisma/schema.prisma", () => {
  let dm: Datamodel;
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let client: pg.Client;

  beforeAll(async () => {
    dm = await loadDatamodel();
    database = await createEmptyDatabase("schema-drift");
    await migrateDatabase(database.url);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it("reads the schema through Prisma's DMMF", () => {
    expect(dm.models.map((m) => m.name)).toEqual(
      expect.arrayContaining(["User", "Team", "Membership", "Test", "Schedule", "Run", "RunStep", "Artifact", "HealEvent", "HealHistory", "SelectorCacheEntry", "ApiToken"]),
    );
    expect(dm.indexes.length).toBeGreaterThan(dm.models.length);
  });

  it("the migrated database matches schema.prisma exactly", async () => {
    const problems = compareSchema(dm, await snapshotDatabase(client));
    expect(problems).toEqual([]);
  });

  it("the comparison catches drift (a changed column, a missing index, a wrong FK action, an extra table)", async () => {
    await client.query("BEGIN");
    try {
      await client.query(`ALTER TABLE "runs" ALTER COLUMN "url" DROP NOT NULL`);
      await client.query(`DROP INDEX "runs_test_name_idx"`);
      await client.query(`ALTER TABLE "artifacts" ALTER COLUMN "file_size" TYPE BIGINT`);
      await client.query(`ALTER TABLE "tests" DROP CONSTRAINT "tests_created_by_id_fkey"`);
      await client.query(
        `ALTER TABLE "tests" ADD CONSTRAINT "tests_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
      );
      await client.query(`ALTER TYPE "ArtifactType" ADD VALUE 'video'`);
      await client.query(`CREATE TABLE "stray" ("id" TEXT PRIMARY KEY)`);
      const problems = compareSchema(dm, await snapshotDatabase(client));
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^column runs\.url .*nullable, expected NOT NULL/),
          expect.stringMatching(/^index runs_test_name_idx .*missing/),
          expect.stringMatching(/^column artifacts\.file_size .*type bigint, expected integer/),
          expect.stringMatching(/^foreign key tests_created_by_id_fkey: ON DELETE 'c', expected 'n'/),
          expect.stringMatching(/^enum ArtifactType: labels/),
          "table stray: not in schema.prisma",
        ]),
      );
    } finally {
      await client.query("ROLLBACK");
    }
    // And the rollback really restored it.
    expect(compareSchema(dm, await snapshotDatabase(client))).toEqual([]);
  });
});
