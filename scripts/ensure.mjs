// What `npm start` and `npm test` install when it is missing: npm packages, and Debian packages
// when root or password-less sudo allows (otherwise one line saying what to install).
// Plain Node, no dependencies: it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** Runs a command in the project root, inheriting stdio. @returns its exit status */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Installs npm packages when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  if (process.env.DICTATE_SKIP_INSTALL === '1') return;
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  console.log('[dictate] Installing npm packages…');
  // `npm install`, not `npm ci`: it follows the lock too, and tolerates optional packages for other
  // platforms that a registry mirror lacks (npm leaves them out of the lock, which `npm ci` rejects).
  const status = run('npm', ['install', '--no-audit', '--no-fund']);
  if (status !== 0) {
    console.error('[dictate] npm could not install the packages (see above). Check your network and run `npm install`.');
    process.exit(status);
  }
}

function installed(pkg) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
      'install ok installed',
    );
  } catch {
    return false;
  }
}

function canSudo() {
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure Debian packages are installed.
 * @param {string[]} packages
 * @param {{ required: boolean, why: string }} options
 * @returns {boolean} whether all are installed afterwards
 */
export function ensureDebianPackages(packages, { required, why }) {
  if (process.env.DICTATE_SKIP_INSTALL === '1') return true;
  const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  const line = `sudo apt-get install -y ${packages.join(' ')}`;
  if (!hasDpkg) {
    console.warn(`[dictate] Not a Debian-based system: install the equivalents of \`${line}\` (${why}).`);
    return !required;
  }
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : canSudo() ? ['sudo', '-n'] : null;
  if (!prefix) {
    console.error(`[dictate] Missing ${missing.join(', ')} (${why}). Install with: sudo apt-get install -y ${missing.join(' ')}`);
    if (required) process.exit(1);
    return false;
  }
  console.log(`[dictate] Installing ${missing.join(', ')} (${why})…`);
  const apt = (args) => (prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args]) : run('apt-get', args));
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let status = apt(['install', '-y', '-q', ...missing], { env });
  if (status !== 0) {
    apt(['update', '-q']);
    status = apt(['install', '-y', '-q', ...missing]);
  }
  if (status !== 0) {
    console.error(`[dictate] Could not install ${missing.join(', ')}. Install with: ${line}`);
    if (required) process.exit(1);
    return false;
  }
  return true;
}

/** The engine's Debian packages. */
// libflite1: letter to sound for vocabulary words the dictionary lacks (server/engine/letter-to-sound.ts).
export const ENGINE_PACKAGES = ['libpocketsphinx3', 'pocketsphinx-en-us', 'libflite1'];

/**
 * Firefox ESR and WebKitGTK for the cross-browser e2e tests (e2e/support/browsers.ts), with what they
 * need to hear a clip and show a page: Xvfb, a PulseAudio virtual microphone (GStreamer's pulse source
 * for WebKitGTK), and xclip to read back what WebKit copied.
 */
export const BROWSER_PACKAGES = [
  'firefox-esr',
  'webkit2gtk-driver',
  'xvfb',
  'xauth',
  'pulseaudio',
  'pulseaudio-utils',
  'gstreamer1.0-pulseaudio',
  'gstreamer1.0-plugins-good',
  'xclip',
];

/** Newest modification time under the given paths (files or folders), ms. */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const entry of execFileSync('ls', ['-A', p], { encoding: 'utf8' }).split('\n').filter(Boolean)) visit(join(p, entry));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  paths.forEach((p) => visit(join(root, p)));
  return newest;
}

/** Builds the app with Vite when dist/ is missing or older than its sources. */
export function buildIfNeeded({ force = false } = {}) {
  const built = join(root, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'];
  if (!force && existsSync(built) && statSync(built).mtimeMs >= newestMtime(sources)) return;
  console.log('[dictate] Building the app…');
  const status = run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  if (status !== 0) {
    console.error('[dictate] The build failed (see above).');
    process.exit(status);
  }
}
