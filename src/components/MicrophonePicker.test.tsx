import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { createSession } from '../session/session';
import { attachDevices, useDevices, type InputDevice } from '../store/devices';
import { attachSession, sessionSink, useDictation } from '../store/dictation';
import { FakeMicrophone, FakeVoiceRunService } from '../test/fakes';
import { resetStores } from '../test/stores';

let mic: FakeMicrophone;
let devices: InputDevice[];

beforeEach(() => {
  resetStores();
  useDevices.setState(useDevices.getInitialState(), true);
  mic = new FakeMicrophone();
  const service = new FakeVoiceRunService({ answerClose: true });
  attachSession(createSession({ startCapture: mic.start, connect: service.connect, location: { protocol: 'http:', host: 'localhost' } }));
  devices = [
    { deviceId: 'usb', label: 'USB headset' },
    { deviceId: 'built-in', label: 'Built-in microphone' },
  ];
  attachDevices(() => Promise.resolve(devices));
});

describe('choosing the microphone', () => {
  it('lists the microphones by name, records from the one chosen with its processing, and remembers it', async () => {
    await useDevices.getState().refresh();
    const user = userEvent.setup();
    render(<App />);
    const picker = screen.getByRole('combobox', { name: 'Microphone' });
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Default microphone', 'USB headset', 'Built-in microphone']);
    await user.selectOptions(picker, 'USB headset');
    await user.click(screen.getByText('Sound processing'));
    await user.click(await screen.findByRole('checkbox', { name: 'Noise suppression' })); // loads on first open
    expect(screen.getByRole('checkbox', { name: 'Noise suppression' })).toHaveAccessibleDescription(/noisy room/);
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText('Listening');
    expect(mic.options).toEqual({
      deviceId: 'usb',
      label: 'USB headset',
      echoCancellation: false,
      noiseSuppression: true,
      autoGainControl: false,
    });
    expect(picker).toBeDisabled(); // applies to the next recording
    expect(
      (JSON.parse(localStorage.getItem('dictate') ?? '{}') as { state: { settings: { microphone: unknown } } }).state.settings.microphone,
    ).toMatchObject({
      deviceId: 'usb',
      noiseSuppression: true,
    });
  });

  it('follows a microphone unplugged: says so, and the default records instead', async () => {
    await useDevices.getState().refresh();
    useDictation.getState().setMicrophone({ deviceId: 'usb', label: 'USB headset' });
    const user = userEvent.setup();
    render(<App />);
    devices = [{ deviceId: 'built-in', label: 'Built-in microphone' }];
    mic.connected = ['built-in'];
    await useDevices.getState().refresh();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '“USB headset” was disconnected. The default microphone will record until it is back',
    );
    expect(screen.getByRole('option', { name: 'USB headset (not connected)' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText('Listening');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The microphone chosen in Settings is not connected, so the default microphone is recording.',
    );
  });

  it('shows the input level, and clipping when the signal hits full scale', async () => {
    render(<App />);
    const meter = screen.getByRole('meter', { name: 'Input level' });
    sessionSink.level(0.4);
    await screen.findByRole('meter', { name: 'Input level' });
    expect(meter).toHaveAttribute('aria-valuenow', '40');
    expect(screen.queryByText('Clipping: too loud')).not.toBeInTheDocument();
    sessionSink.level(1);
    expect(await screen.findByText('Clipping: too loud')).toBeInTheDocument();
    expect(meter).toHaveAttribute('aria-valuetext', '100%, clipping');
  });
});
