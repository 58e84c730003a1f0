import type { Document } from 'bson';
import { Collection } from './collection.js';
import { CommandError } from './errors.js';

/** All databases of one sim server: database name → collection name → collection. */
export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();

  databaseNames(): string[] {
    return [...this.databases.keys()].filter((name) => (this.databases.get(name)?.size ?? 0) > 0);
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  allCollections(): Collection[] {
    return [...this.databases.values()].flatMap((colls) => [...colls.values()]);
  }

  get(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created implicitly as a write to a missing collection does on the server. */
  ensure(db: string, name: string, options: Document = {}): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    validateName(db, name);
    let colls = this.databases.get(db);
    if (!colls) {
      colls = new Map();
      this.databases.set(db, colls);
    }
    const created = new Collection(db, name, options);
    colls.set(name, created);
    return created;
  }

  drop(db: string, name: string): Collection | undefined {
    const colls = this.databases.get(db);
    const existing = colls?.get(name);
    colls?.delete(name);
    return existing;
  }

  dropDatabase(db: string): void {
    this.databases.delete(db);
  }
}

function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db))
    throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!name || name.startsWith('.') || name.includes('$') || name.includes('\u0000')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
