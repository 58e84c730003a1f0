import { MongoBulkWriteError } from 'mongodb';
import type { Db, WriteError } from 'mongodb';
import { alertsCollection } from './store.js';
import type { AlertDocument } from './store.js';

const DUPLICATE_KEY = 11000;

/**
 * Insert alerts, skipping any whose (rule, key) exists already (the unique index makes a re-evaluated event
 * harmless); returns the alerts actually created.
 */
export async function insertAlerts(db: Db, alerts: AlertDocument[]): Promise<AlertDocument[]> {
  if (alerts.length === 0) return [];
  try {
    await alertsCollection(db).insertMany(alerts, { ordered: false });
    return alerts;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = ([] as WriteError[]).concat(error.writeErrors);
    if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    const skipped = new Set(errors.map((e) => e.index));
    return alerts.filter((_alert, index) => !skipped.has(index));
  }
}
