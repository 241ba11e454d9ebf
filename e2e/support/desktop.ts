/**
 * What Firefox and WebKitGTK need around them to hear a clip: a PulseAudio daemon whose default source
 * is a virtual microphone, and (for WebKitGTK, which has no headless mode) an X display from Xvfb.
 *
 * The microphone is a null sink's monitor, remapped as a source of its own: WebKitGTK lists no monitor
 * source as a microphone. A ±1 LSB noise floor plays into it all the time, as a real microphone's
 * does (a monitor with nothing playing gives exact digital zeros, which the app rightly reports as a
 * dead microphone); `play()` speaks a clip on top of it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWav } from './wav';

/** A child process in a process group of its own, so that it and its children end together. */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  child.on('error', () => undefined); // reported by the caller's readiness check
  return child;
}

/** Ends a process group started by {@link startProcess}. */
export function stopProcess(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Polls `ready` every 100 ms. @throws Error naming `what` after `timeoutMs`. */
export async function until(what: string, ready: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready after ${timeoutMs} ms.`);
}

/** A PulseAudio daemon with a virtual microphone, for one browser session. */
export class VirtualMicrophone {
  /** `PULSE_SERVER` for the browser. */
  readonly server: string;
  /**
   * The environment a browser needs to hear this microphone. PULSE_LATENCY_MSEC: WebKitGTK's GStreamer
   * source and Firefox's cubeb read PulseAudio in buffers of about 10 ms, which a busy machine (a CI run:
   * the engine, the build, the other tests) overran. With 60 ms here and 250 ms for the player (see
   * `env()`), 8 of 8 round trips with both cores loaded gave the clean run's words within two; before,
   * "had he married" came out as "add a narrator" and "woman he might have been" as "woman in my head
   * that" (WER 0.42–0.53).
   */
  get clientEnv(): NodeJS.ProcessEnv {
    return { PULSE_SERVER: this.server, PULSE_LATENCY_MSEC: '60' };
  }
  private readonly dir: string;
  private daemon?: ChildProcess;
  private floor?: ChildProcess;
  private stopped = false;

  private constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'dictate-pulse-'));
    this.server = `unix:${join(this.dir, 'native')}`;
  }

  /** Starts the daemon and the noise floor. @throws Error when PulseAudio does not come up in 15 s. */
  static async start(): Promise<VirtualMicrophone> {
    const mic = new VirtualMicrophone();
    try {
      await mic.startDaemon();
    } catch (error) {
      mic.stop();
      throw error;
    }
    return mic;
  }

  private async startDaemon(): Promise<void> {
    const config = join(this.dir, 'default.pa');
    writeFileSync(
      config,
      [
        `load-module module-native-protocol-unix socket=${join(this.dir, 'native')} auth-anonymous=1`,
        'load-module module-null-sink sink_name=dictate_speaker rate=48000 channels=1',
        'load-module module-remap-source master=dictate_speaker.monitor source_name=dictate_mic source_properties=device.description=Dictate_test_microphone',
        'set-default-source dictate_mic',
        'set-default-sink dictate_speaker',
        '',
      ].join('\n'),
    );
    const env = { ...process.env, HOME: this.dir, XDG_RUNTIME_DIR: this.dir };
    // -n: no system configuration; as root PulseAudio warns and runs. soxr-vhq: the clip goes 16 kHz → 48 kHz
    // (the sink) → 44.1 kHz (WebKitGTK captures at that rate), and PulseAudio's default (speex-float-1) is
    // coarse enough to cost words that no real microphone path would lose.
    this.daemon = startProcess(
      'pulseaudio',
      [
        '-n',
        '-F',
        config,
        '--resample-method=soxr-vhq',
        '--daemonize=no',
        '--exit-idle-time=-1',
        '--use-pid-file=no',
        '--log-target=stderr',
      ],
      env,
    );
    await until('PulseAudio', () => this.pactl(['list', 'short', 'sources']).includes('dictate_mic'), 15_000);
    const floor = join(this.dir, 'floor.wav');
    // 60 s of ±1 LSB at 48 kHz (about −90 dBFS), looped.
    let seed = 12345;
    const noise = Int16Array.from({ length: 60 * 48_000 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return ((seed >>> 16) % 3) - 1;
    });
    writeWav(floor, noise, 48_000);
    // Looped for as long as the microphone lives; a player that dies at once (no daemon) is not respawned.
    const loop = () => {
      if (this.stopped) return;
      const started = Date.now();
      this.floor = startProcess('paplay', ['--device=dictate_speaker', floor], this.env());
      this.floor.on('exit', () => Date.now() - started > 1000 && loop());
    };
    loop();
  }

  /**
   * The environment of pactl and the players. A player's buffer is 250 ms: with PulseAudio's default a
   * busy machine starved paplay and the clip reached the microphone with gaps ("had he married" → "add a
   * merit aid"); it only delays the clip's start.
   */
  private env(): NodeJS.ProcessEnv {
    return { ...process.env, PULSE_SERVER: this.server, PULSE_LATENCY_MSEC: '250' };
  }

  private pactl(args: string[]): string {
    const result = spawnSync('pactl', args, { env: this.env(), encoding: 'utf8', timeout: 5000 });
    return result.stdout ?? '';
  }

  /** Speaks a WAV file into the microphone. @returns when it has been played */
  play(wav: string): Promise<void> {
    if (!existsSync(wav)) return Promise.reject(new Error(`No clip at ${wav}.`));
    return new Promise((resolve, reject) => {
      const player = startProcess('paplay', ['--device=dictate_speaker', wav], this.env());
      player.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`paplay ${wav} exited with ${code}.`))));
    });
  }

  stop(): void {
    this.stopped = true;
    stopProcess(this.floor);
    stopProcess(this.daemon);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An X display from Xvfb (WebKitGTK's MiniBrowser needs one). */
export class VirtualDisplay {
  private constructor(
    /** `DISPLAY` for the browser. */
    readonly display: string,
    private readonly server: ChildProcess,
  ) {}

  /** @throws Error when Xvfb does not come up in 15 s. */
  static async start(): Promise<VirtualDisplay> {
    // A display number of our own: Xvfb writes its lock and socket under /tmp/.X11-unix.
    for (let n = 90 + (process.pid % 50); ; n++) {
      if (existsSync(`/tmp/.X${n}-lock`)) continue;
      const server = startProcess('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
      try {
        await until('Xvfb', () => existsSync(`/tmp/.X11-unix/X${n}`), 15_000);
      } catch (error) {
        stopProcess(server);
        throw error;
      }
      return new VirtualDisplay(`:${n}`, server);
    }
  }

  stop(): void {
    stopProcess(this.server);
  }
}
