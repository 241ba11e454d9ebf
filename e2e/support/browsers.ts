/**
 * Every browser an e2e test can run in, behind one small driver. Playwright drives Debian's Chromium
 * (it cannot drive a stock Firefox or WebKitGTK); Firefox ESR is driven over WebDriver BiDi with
 * puppeteer-core, and WebKitGTK's MiniBrowser (the engine of Safari) through WebKitWebDriver with
 * selenium-webdriver.
 *
 * A test says which browsers it runs in with {@link inBrowsers}. Chromium hears its fake file
 * microphone (the clip, played once at capture); Firefox and WebKit hear a PulseAudio virtual
 * microphone with a noise floor, and the test speaks the clip with {@link BrowserSession.speak} when
 * it wants to. Elements are found by ARIA role and accessible name, with Testing Library's `getByRole`
 * run in the page, and clicked with the driver's real input events (a script's `click()` carries no user
 * activation, and the clipboard needs one). What a browser cannot do is in {@link Capabilities}: a
 * test skips that step, and says so, rather than the browser.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, test } from '@playwright/test';
import puppeteer from 'puppeteer-core';
import { Builder, Capabilities as WebDriverCapabilities, type WebDriver, type WebElement } from 'selenium-webdriver';
import type * as Remote from 'selenium-webdriver/remote';
import { chromiumLaunchOptions } from './chromium';
import { VirtualDisplay, VirtualMicrophone } from './desktop';

/** The browsers the suite knows. */
export type BrowserName = 'chromium' | 'firefox' | 'webkit';
export const ALL_BROWSERS: readonly BrowserName[] = ['chromium', 'firefox', 'webkit'];

/** What a browser (as driven here) can and cannot do. */
export interface Capabilities {
  /** Chromium's fake devices can be listed and picked; the other browsers have one virtual microphone. */
  readonly fakeDevicePicker: boolean;
}

const CAPABILITIES: Record<BrowserName, Capabilities> = {
  chromium: { fakeDevicePicker: true },
  firefox: { fakeDevicePicker: false },
  webkit: { fakeDevicePicker: false },
};

/** An accessible name to match: exact text, or a pattern. */
export type Name = string | RegExp;

/** One browser with one page of the app open. */
export interface BrowserSession {
  readonly name: BrowserName;
  readonly version: string;
  readonly can: Capabilities;
  /** Messages of uncaught page errors and console errors so far, in order. */
  pageErrors(): Promise<string[]>;
  goto(path: string): Promise<void>;
  /** Clicks the element with this role and name (waits up to `timeoutMs` for it, enabled). */
  click(role: string, name: Name, timeoutMs?: number): Promise<void>;
  /** The element's text (`innerText`, whitespace collapsed), or null when there is none. */
  text(role: string, name: Name): Promise<string | null>;
  /** Waits until the element's text matches. @throws Error with the last text seen */
  waitForText(role: string, name: Name, expected: Name, timeoutMs: number): Promise<void>;
  /** Waits until the page's visible text matches. @returns the match */
  waitForPageText(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Runs a function body (with `arguments`) in the page; returns its serialisable result. */
  evaluate<T>(body: string, ...args: unknown[]): Promise<T>;
  /** Speaks a WAV file into the microphone (Firefox, WebKit); Chromium's fake microphone plays its clip by itself. */
  speak(wav: string): Promise<void>;
  /** What the app last wrote to the clipboard (WebKit: the X clipboard, read with xclip, since a page's readText() opens a paste menu there). */
  readClipboard(): Promise<string>;
  close(): Promise<void>;
}

/** Options of {@link openBrowser}. */
export interface OpenOptions {
  /** The app's origin, e.g. http://localhost:8791. */
  readonly baseURL: string;
  /** Chromium's fake microphone: the clip it plays once (absolute path). */
  readonly chromiumClip: string;
}

const require = createRequire(import.meta.url);
// selenium-webdriver/remote is a folder with a CommonJS index (no ESM entry): required, typed by @types/selenium-webdriver.
const { DriverService } = require('selenium-webdriver/remote') as typeof Remote;
/** Testing Library's DOM queries as a script for the page (`window.TestingLibraryDom`). */
const TESTING_LIBRARY = readFileSync(require.resolve('@testing-library/dom/dist/@testing-library/dom.umd.min.js'), 'utf8');

/** A name as it crosses into the page. */
type WireName = { text: string } | { source: string; flags: string };
const wire = (name: Name): WireName => (typeof name === 'string' ? { text: name } : { source: name.source, flags: name.flags });

/** In the page: the element by role and name, or null. (A string: each driver runs it as a function body.) */
const FIND = `
  const [role, name] = arguments;
  const tl = window.TestingLibraryDom;
  const matcher = 'text' in name ? name.text : new RegExp(name.source, name.flags);
  return tl.queryByRole(document.body, role, { name: matcher }) ?? null;
`;
const TEXT = `${FIND.replace('return tl.queryByRole', 'const el = tl.queryByRole')}
  return el ? el.innerText.replace(/\\s+/g, ' ').trim() : null;`;
const ENABLED = `${FIND.replace('return tl.queryByRole', 'const el = tl.queryByRole')}
  return el && !el.disabled && el.getAttribute('aria-disabled') !== 'true' ? el : null;`;

const matches = (text: string | null, expected: Name) =>
  text !== null && (typeof expected === 'string' ? text === expected : expected.test(text));

/** A driver's primitive operations; {@link BrowserSession}'s methods are built on them. */
interface Primitives {
  /**
   * Runs a function body with arguments in the page and returns its (serialisable) result. Drivers
   * evaluate outside the page's CSP, which allows only its own scripts.
   */
  run<T>(body: string, ...args: unknown[]): Promise<T>;
  /** Runs a function body that returns an element, and clicks it with real input; false when there is none. */
  clickFound(body: string, ...args: unknown[]): Promise<boolean>;
  navigate(url: string): Promise<void>;
}

function session(
  name: BrowserName,
  version: string,
  p: Primitives,
  extra: Pick<BrowserSession, 'pageErrors' | 'speak' | 'readClipboard' | 'close'> & { baseURL: string },
): BrowserSession {
  const ensureQueries = async () => {
    if (!(await p.run<boolean>('return Boolean(window.TestingLibraryDom)'))) await p.run(`${TESTING_LIBRARY}; return true`);
  };
  const poll = async <T>(what: string, timeoutMs: number, attempt: () => Promise<{ done: boolean; seen: T }>): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let seen: T | undefined;
    for (;;) {
      await ensureQueries();
      const result = await attempt();
      seen = result.seen;
      if (result.done) return;
      if (Date.now() > deadline) throw new Error(`${name}: ${what} after ${timeoutMs} ms (last seen: ${JSON.stringify(seen)}).`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    name,
    version,
    can: CAPABILITIES[name],
    pageErrors: extra.pageErrors,
    async goto(path) {
      await p.navigate(new URL(path, extra.baseURL).href);
      // The app renders after its module scripts run: wait for its main control.
      await poll('the app did not render', 30_000, async () => {
        const found = await p.run<boolean>(`return Boolean(document.querySelector('#root button'))`);
        return { done: found, seen: found };
      });
    },
    async click(role, label, timeoutMs = 10_000) {
      await poll(`no enabled ${role} "${String(label)}" to click`, timeoutMs, async () => {
        const clicked = await p.clickFound(ENABLED, role, wire(label));
        return { done: clicked, seen: clicked };
      });
    },
    async text(role, label) {
      await ensureQueries();
      return p.run<string | null>(TEXT, role, wire(label));
    },
    async waitForText(role, label, expected, timeoutMs) {
      await poll(`${role} "${String(label)}" did not show ${String(expected)}`, timeoutMs, async () => {
        const text = await p.run<string | null>(TEXT, role, wire(label));
        return { done: matches(text, expected), seen: text };
      });
    },
    async waitForPageText(pattern, timeoutMs) {
      let match = '';
      await poll(`the page did not show ${String(pattern)}`, timeoutMs, async () => {
        const text = await p.run<string>('return document.body.innerText');
        match = pattern.exec(text)?.[0] ?? '';
        return { done: match !== '', seen: text.slice(0, 200) };
      });
      return match;
    },
    evaluate: (body, ...args) => p.run(body, ...args),
    speak: extra.speak,
    readClipboard: extra.readClipboard,
    close: extra.close,
  };
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `(function () { body }).apply(null, args)` as one expression. */
const call = (body: string, args: unknown[]) => `(function () { ${body} }).apply(null, ${JSON.stringify(args)})`;

/** What Playwright's and Puppeteer's pages have in common, as far as the primitives need it. */
interface ScriptablePage {
  evaluate(expression: string): Promise<unknown>;
  evaluateHandle(expression: string): Promise<{ asElement(): { click(): Promise<void> } | null }>;
  goto(url: string): Promise<unknown>;
}

/** The primitives over a Playwright or Puppeteer page (both evaluate an expression, and click an element handle with real input). */
function pagePrimitives(page: ScriptablePage): Primitives {
  return {
    run: async <T>(body: string, ...args: unknown[]) => (await page.evaluate(call(body, args))) as T,
    clickFound: async (body, ...args) => {
      const element = (await page.evaluateHandle(call(body, args))).asElement();
      if (!element) return false;
      await element.click();
      return true;
    },
    navigate: async (url) => void (await page.goto(url)),
  };
}

async function openChromium(options: OpenOptions): Promise<BrowserSession> {
  const browser = await chromium.launch({ ...chromiumLaunchOptions(options.chromiumClip), headless: true });
  try {
    const context = await browser.newContext({ permissions: ['microphone', 'clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    return session('chromium', browser.version(), pagePrimitives(page), {
      pageErrors: () => Promise.resolve([...errors]),
      baseURL: options.baseURL,
      speak: () => Promise.resolve(), // the fake microphone plays its clip once, from the first capture
      readClipboard: () => page.evaluate(() => navigator.clipboard.readText()),
      close: () => browser.close(),
    });
  } catch (error) {
    await browser.close();
    throw error;
  }
}

async function openFirefox(options: OpenOptions): Promise<BrowserSession> {
  const mic = await VirtualMicrophone.start();
  const profile = mkdtempSync(join(tmpdir(), 'dictate-firefox-'));
  const cleanup = () => {
    mic.stop();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
      headless: true,
      userDataDir: profile,
      env: { ...process.env, ...mic.clientEnv, HOME: profile },
      extraPrefsFirefox: {
        // No permission prompt, and real devices (PulseAudio's default source) rather than Firefox's fake one.
        'media.navigator.permission.disabled': true,
        'media.navigator.streams.fake': false,
        // Lets the test read the clipboard back without Firefox's paste prompt.
        'dom.events.asyncClipboard.readText': true,
        'dom.events.testing.asyncClipboard': true,
      },
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    return session('firefox', (await browser.version()).replace(/^firefox\//, ''), pagePrimitives(page), {
      pageErrors: () => Promise.resolve([...errors]),
      baseURL: options.baseURL,
      speak: (wav) => mic.play(wav),
      readClipboard: () => page.evaluate(() => navigator.clipboard.readText()),
      close: async () => {
        await browser.close().catch(() => undefined);
        cleanup();
      },
    });
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Debian's MiniBrowser: /usr/lib/<triplet>/webkit2gtk-4.1/MiniBrowser. */
function miniBrowser(): string {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  for (const triplet of readdirSync('/usr/lib')) {
    for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
      const path = join('/usr/lib', triplet, api, 'MiniBrowser');
      if (existsSync(path)) return path;
    }
  }
  throw new Error('No MiniBrowser: install webkit2gtk-driver (it brings libwebkit2gtk-4.1-0).');
}

/** In the page: keeps uncaught errors and console errors where the test can read them (WebDriver has no log here). */
const COLLECT_ERRORS = `
  if (window.__dictateErrors) return;
  const errors = (window.__dictateErrors = []);
  window.addEventListener('error', (e) => errors.push(e.message));
  window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason && e.reason.message || e.reason)));
  const original = console.error.bind(console);
  console.error = (...args) => { errors.push(args.map(String).join(' ')); original(...args); };
`;

async function openWebKit(options: OpenOptions): Promise<BrowserSession> {
  const mic = await VirtualMicrophone.start();
  let display: VirtualDisplay | undefined;
  let service: Remote.DriverService | undefined;
  let driver: WebDriver | undefined;
  const cleanup = async () => {
    await driver?.quit().catch(() => undefined);
    await service?.kill().catch(() => undefined);
    display?.stop();
    mic.stop();
  };
  try {
    display = await VirtualDisplay.start();
    const port = await freePort();
    const env = { ...process.env, DISPLAY: display.display, ...mic.clientEnv };
    service = new DriverService(process.env.WEBKIT_WEBDRIVER_PATH ?? '/usr/bin/WebKitWebDriver', {
      port,
      args: [`--port=${port}`],
      loopback: true,
      env,
    });
    const url = await service.start(30_000);
    const capabilities = new WebDriverCapabilities();
    capabilities.setBrowserName('MiniBrowser');
    capabilities.set('webkitgtk:browserOptions', {
      binary: miniBrowser(),
      // Media capture and Web Audio are off in MiniBrowser unless asked for.
      args: ['--automation', '--enable-media-stream=true', '--enable-webaudio=true'],
    });
    driver = await new Builder().usingServer(String(url)).withCapabilities(capabilities).build();
    const d = driver;
    const version = String((await d.getCapabilities()).get('browserVersion') ?? '');
    const primitives: Primitives = {
      run: async <T>(body: string, ...args: unknown[]) => (await d.executeScript(body, ...args)) as T,
      clickFound: async (body, ...args) => {
        const element = await d.executeScript<WebElement | null>(body, ...args);
        if (!element) return false;
        await element.click();
        return true;
      },
      navigate: async (target) => {
        await d.get(target);
        await d.executeScript(COLLECT_ERRORS);
      },
    };
    return session('webkit', version, primitives, {
      pageErrors: async () => (await d.executeScript('return window.__dictateErrors || []').catch(() => [])) as string[],
      baseURL: options.baseURL,
      speak: (wav) => mic.play(wav),
      // MiniBrowser (GTK) puts copied text on the X display's CLIPBOARD selection.
      readClipboard: () => {
        const out = spawnSync('xclip', ['-o', '-selection', 'clipboard'], { env, encoding: 'utf8', timeout: 5000 });
        if (out.status !== 0) throw new Error(`xclip could not read the clipboard: ${out.stderr || out.error?.message}`);
        return Promise.resolve(out.stdout);
      },
      close: cleanup,
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * Opens a browser with the app's origin ready to visit.
 * @throws Error when the browser, its driver or its virtual devices cannot start
 */
export function openBrowser(name: BrowserName, options: OpenOptions): Promise<BrowserSession> {
  if (name === 'chromium') return openChromium(options);
  if (name === 'firefox') return openFirefox(options);
  return openWebKit(options);
}

/**
 * Declares one Playwright test per browser, named "<title> [<browser>]", each with its own browser
 * opened on the app and closed afterwards.
 */
export function inBrowsers(
  browsers: readonly BrowserName[],
  title: string,
  body: (browser: BrowserSession) => Promise<void>,
  options: { clip: string },
): void {
  for (const name of browsers) {
    test(`${title} [${name}]`, async ({ baseURL }) => {
      const browser = await openBrowser(name, { baseURL: baseURL ?? 'http://localhost:8791', chromiumClip: options.clip });
      try {
        await body(browser);
      } finally {
        await browser.close();
      }
    });
  }
}
