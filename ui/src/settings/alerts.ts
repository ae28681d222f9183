// How a ringing call gets the operator's attention in the window: the chosen sound (once or
// until the call is handled), a strong visual flash instead of sound, or neither. Sounds are
// generated with Web Audio, so there is no sound file to load.

import type { RingMode } from "../bindings/RingMode";
import type { RingSound } from "../bindings/RingSound";

/** What the ring does. */
export interface RingChoice {
  ring_mode: RingMode;
  ring_sound: RingSound;
  repeat_ring: boolean;
}

const REPEAT_MS = 3000;

/** The notes of each sound: [frequency in Hz, start in s, length in s, waveform]. */
const SOUNDS: Record<RingSound, [number, number, number, OscillatorType][]> = {
  chime: [
    [880, 0, 0.25, "sine"],
    [660, 0.25, 0.25, "sine"],
  ],
  bell: [
    [1320, 0, 0.6, "triangle"],
    [1760, 0.05, 0.5, "sine"],
  ],
  beeps: [
    [1000, 0, 0.12, "square"],
    [1000, 0.2, 0.12, "square"],
    [1000, 0.4, 0.12, "square"],
  ],
};

let choice: RingChoice = { ring_mode: "sound", ring_sound: "chime", repeat_ring: true };
let ringing = false;
let timer: number | undefined;
let context: AudioContext | undefined;

/** Changes what the ring does (also for a call ringing now). */
export function setRingChoice(next: RingChoice): void {
  choice = next;
  if (ringing) {
    stop();
    start();
  }
}

/** Starts or stops ringing. */
export function setRinging(next: boolean): void {
  if (next === ringing) return;
  ringing = next;
  if (next) start();
  else stop();
}

/** Plays `sound` once (the Settings page's "Play" button). */
export function playSound(sound: RingSound): void {
  try {
    context ??= new AudioContext();
    const at = context.currentTime;
    for (const [frequency, offset, length, type] of SOUNDS[sound]) tone(context, frequency, at + offset, length, type);
  } catch {
    // no audio device: the notification and the tab still show the call
  }
}

function start(): void {
  document.body.classList.toggle("alert-flash", choice.ring_mode === "visual");
  if (choice.ring_mode !== "sound") return;
  playSound(choice.ring_sound);
  if (choice.repeat_ring) timer = window.setInterval(() => playSound(choice.ring_sound), REPEAT_MS);
}

function stop(): void {
  document.body.classList.remove("alert-flash");
  if (timer !== undefined) window.clearInterval(timer);
  timer = undefined;
}

function tone(audio: AudioContext, frequency: number, at: number, length: number, type: OscillatorType): void {
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = type;
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length - 0.03);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(at);
  oscillator.stop(at + length);
}
