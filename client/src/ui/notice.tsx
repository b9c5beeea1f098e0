import type { ReactNode } from 'react';

export type NoticeTone = 'success' | 'error' | 'warn' | 'info';

/** Inline feedback next to the control that caused it; errors interrupt, the rest are polite. */
export function Notice({ tone, children }: { tone: NoticeTone; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
