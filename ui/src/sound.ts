// The ring of an incoming call: a soft two-note chime, repeated while any call rings.
// Generated with Web Audio, so there is no sound file to load.

const REPEAT_MS = 3000;

let timer: number | undefined;
let context: AudioContext | undefined;

/** Starts or stops ringing. */
export function setRinging(ringing: boolean): void {
  if (ringing && timer === undefined) {
    chime();
    timer = window.setInterval(chime, REPEAT_MS);
  } else if (!ringing && timer !== undefined) {
    window.clearInterval(timer);
    timer = undefined;
  }
}

function chime(): void {
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    [880, 660].forEach((frequency, n) => tone(context!, frequency, start + n * 0.25));
  } catch {
    // no audio device: the notification and the tab still show the call
  }
}

function tone(audio: AudioContext, frequency: number, at: number): void {
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = "sine";
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(at);
  oscillator.stop(at + 0.25);
}
