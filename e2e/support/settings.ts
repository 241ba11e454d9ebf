/** Choosing a provider in Settings, as a user does. */
import type { Page } from '@playwright/test';

/**
 * Opens Settings (if closed) and picks a provider: a cloud service by its name, or
 * `Local engine (<Name> protocol)`: the local engine, with that protocol chosen under "Advanced: protocol".
 */
export async function chooseProvider(page: Page, provider: string): Promise<void> {
  const picker = page.getByRole('combobox', { name: 'Provider' });
  if (!(await picker.isVisible())) await page.locator('summary', { hasText: 'Settings' }).click();
  const local = /^Local engine \((\w+) protocol\)$/.exec(provider);
  if (!local) {
    await picker.selectOption({ label: provider });
    return;
  }
  await picker.selectOption({ label: 'Local engine (PocketSphinx, offline)' });
  const protocol = page.getByRole('combobox', { name: 'Protocol' });
  if (!(await protocol.isVisible())) await page.locator('summary', { hasText: 'Advanced: protocol' }).click();
  await protocol.selectOption({ label: `${local[1]} protocol` });
}
