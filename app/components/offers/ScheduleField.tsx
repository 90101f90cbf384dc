// A start or end of an offer's schedule: a date (typed as YYYY-MM-DD, or picked on Polaris's
// calendar) and a time of day, both as the shop's clock shows them. The browser's own zone
// plays no part: a merchant in Paris scheduling a New York shop sets New York times.
import { useEffect, useMemo, useRef, useState } from "react";
import { DatePicker, InlineStack, Popover, Select, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { dateText, instantOf, parseDateText, wallTimeIn, type WallTime } from "~/i18n/zoned-time";
import { useT } from "~/i18n/i18n";

type Day = Pick<WallTime, "year" | "month" | "day">;

interface Props {
  /** The date field's id: the error path, so the error banner's link focuses it. */
  id: string;
  label: string;
  timeLabel: string;
  value: number | null;
  timeZone: string;
  /** The time a newly picked day starts at ("00:00" for a start, "23:30" for an end). */
  defaultTime: { hour: number; minute: number };
  onChange: (ms: number | null) => void;
  error?: string;
  helpText?: string;
}

export function ScheduleField({ id, label, timeLabel, value, timeZone, defaultTime, onChange, error, helpText }: Props) {
  const t = useT();
  const { i18n } = useTranslation();
  const shown = value === null ? null : wallTimeIn(value, timeZone);
  const [text, setText] = useState(shown ? dateText(shown) : "");
  const [open, setOpen] = useState(false);
  const calendar = useRef<HTMLDivElement>(null);
  const [month, setMonth] = useState(() => visibleMonth(shown));
  // A new value from outside (the calendar, a discard, a reload) replaces what was typed.
  useEffect(() => {
    setText(shown ? dateText(shown) : "");
    setMonth(visibleMonth(shown));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, timeZone]);

  const time = shown ?? { ...defaultTime };
  const setDay = (day: Day) => onChange(instantOf({ ...day, hour: time.hour, minute: time.minute }, timeZone));
  const typed = (next: string) => {
    setText(next);
    if (next.trim() === "") return onChange(null);
    const day = parseDateText(next);
    if (day) setDay(day);
  };
  const times = useTimeOptions(i18n.language, shown && shown.minute % 30 !== 0 ? timeValue(shown) : null);

  return (
    <InlineStack gap="200" wrap={false} blockAlign="start">
      <div style={{ flex: "1 1 60%" }}>
        <Popover
          active={open}
          autofocusTarget="none"
          preferredAlignment="left"
          preferInputActivator={false}
          preferredPosition="below"
          onClose={() => setOpen(false)}
          activator={
            <TextField
              id={id}
              label={label}
              // The popover marks its activator expanded and owning the calendar: a combobox may be.
              role="combobox"
              autoComplete="off"
              placeholder="YYYY-MM-DD"
              value={text}
              onChange={typed}
              onFocus={() => setOpen(true)}
              onBlur={(event) => {
                setText(shown ? dateText(shown) : "");
                // Focus moving on (Tab to the time or the next field) closes the calendar; a click
                // in it does not (Safari leaves a clicked button unfocused: no related target, and
                // the popover's own outside-click closes it then).
                const next = event?.relatedTarget as Node | null | undefined;
                if (next && !calendar.current?.contains(next)) setOpen(false);
              }}
              clearButton
              onClearButtonClick={() => typed("")}
              error={error}
              helpText={helpText}
            />
          }
        >
          {/* The popover renders outside the page's landmarks: the calendar is a region of its own. */}
          <div ref={calendar} role="region" aria-label={label} style={{ padding: "var(--p-space-400)" }}>
            <DatePicker
              month={month.month}
              year={month.year}
              weekStartsOn={weekStart(i18n.language)}
              selected={shown ? calendarDate(shown) : undefined}
              onMonthChange={(m, year) => setMonth({ month: m, year })}
              onChange={({ start }) => {
                setDay({ year: start.getFullYear(), month: start.getMonth() + 1, day: start.getDate() });
                setOpen(false);
              }}
            />
          </div>
        </Popover>
      </div>
      <div style={{ flex: "1 1 40%" }}>
        <Select
          id={`${id}.time`}
          label={timeLabel}
          options={times}
          disabled={shown === null}
          value={timeValue(time)}
          onChange={(v) => {
            const [hour, minute] = v.split(":").map(Number) as [number, number];
            if (shown) onChange(instantOf({ ...shown, hour, minute }, timeZone));
          }}
          helpText={t("offers.editor.timeZone", { zone: timeZone.replaceAll("_", " ") })}
        />
      </div>
    </InlineStack>
  );
}

const timeValue = (w: { hour: number; minute: number }) => `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;

/** The calendar's day: Polaris's DatePicker reads local Date fields, so it gets the wall date. */
const calendarDate = (d: Day) => new Date(d.year, d.month - 1, d.day);

function visibleMonth(shown: Day | null): { month: number; year: number } {
  if (shown) return { month: shown.month - 1, year: shown.year };
  const now = new Date();
  return { month: now.getMonth(), year: now.getFullYear() };
}

/** Every half hour in the admin language's style ("14:30", "2:30 PM"), plus a stored odd time ("10:17"). */
function useTimeOptions(locale: string, odd: string | null) {
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: "UTC" });
    const slots = Array.from({ length: 48 }, (_, i) => timeValue({ hour: Math.floor(i / 2), minute: (i % 2) * 30 }));
    if (odd) slots.push(odd);
    // "HH:MM" strings sort as times.
    return slots.sort().map((value) => {
      const [hour, minute] = value.split(":").map(Number) as [number, number];
      return { value, label: format.format(Date.UTC(2000, 0, 1, hour, minute)) };
    });
  }, [locale, odd]);
}

/** Monday in most of Europe, Sunday in the US (Intl's week info where the runtime has it). */
function weekStart(locale: string): number {
  try {
    const info = (new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } });
    const firstDay = info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay;
    return firstDay === undefined ? 0 : firstDay % 7;
  } catch {
    return 0;
  }
}
