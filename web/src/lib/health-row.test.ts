import { describe, expect, it } from 'vitest';
import { healthRowView } from './health-row.js';

describe('healthRowView', () => {
  it('shows a source with the events its last run fetched', () => {
    expect(healthRowView({ source: 'unified', events_fetched: 12345 })).toEqual({
      name: 'unified',
      volume: '12,345',
      volumeTitle: 'Events fetched by the last run',
    });
  });

  it('shows the SIEM forwarder with its backlog instead', () => {
    const view = healthRowView({
      source: 'siem',
      events_fetched: 0,
      siem: { backlog: 1500, webhook_backlog: 2 },
    });
    expect(view.name).toBe('SIEM forwarding');
    expect(view.volume).toBe('1,500 waiting');
    expect(view.volumeTitle).toMatch(/2 rule notifications waiting/);
  });
});
