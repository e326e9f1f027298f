//! Scheduling across downloads, against loopback mirrors: each download's own speed
//! limit and connection cap beside the engine's, queue order and priorities under
//! `max_active`, schedule windows and start times on a test clock, "when the queue is
//! done". Rates are measured from the engine's own progress reports over seconds, and
//! must come within 10% of the limit.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use braid::engine::schedule::{
    Allowance, Days, Moment, Schedule, TestClock, TimeOfDay, Weekday, WhenDone, Window,
};
use braid::engine::{Command, DownloadId, Engine, Event, JobSpec, Place, Priority, Settings};
use support::{Faults, LoopbackMirror, mirror, payload, temp_dir};
use tokio::sync::mpsc::UnboundedReceiver;

fn spec(name: &str, dir: &std::path::Path, data: &[u8], from: &LoopbackMirror) -> JobSpec {
    support::spec(name, dir, data, &[from], false)
}

/// Events until one matches, within `seconds` in all; returns it and those before.
async fn until(
    events: &mut UnboundedReceiver<Event>,
    seconds: u64,
    wanted: impl Fn(&Event) -> bool,
) -> (Event, Vec<Event>) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut before = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = tokio::time::timeout(left, events.recv())
            .await
            .unwrap_or_else(|_| panic!("no matching event in {seconds} s; saw {before:#?}"))
            .expect("the engine runs");
        if wanted(&event) {
            return (event, before);
        }
        before.push(event);
    }
}

fn finished(id: DownloadId) -> impl Fn(&Event) -> bool {
    move |e| matches!(e, Event::Finished { id: i, .. } if *i == id)
}

/// Bytes per second each download received over the same stretch of time: from its
/// first progress report after `settle` to its last one before `window` ends.
async fn measure(
    events: &mut UnboundedReceiver<Event>,
    settle: Duration,
    window: Duration,
) -> HashMap<DownloadId, f64> {
    let start = Instant::now();
    let mut first: HashMap<DownloadId, (Instant, u64)> = HashMap::new();
    let mut last: HashMap<DownloadId, (Instant, u64)> = HashMap::new();
    while start.elapsed() < settle + window {
        let left = (settle + window).saturating_sub(start.elapsed());
        let Ok(Some(event)) = tokio::time::timeout(left, events.recv()).await else {
            break;
        };
        if let Event::Progress { id, progress } = event {
            if start.elapsed() < settle {
                continue;
            }
            let seen = (Instant::now(), progress.received);
            first.entry(id).or_insert(seen);
            last.insert(id, seen);
        }
    }
    first
        .into_iter()
        .filter_map(|(id, (t0, r0))| {
            let (t1, r1) = last[&id];
            let elapsed = t1.duration_since(t0).as_secs_f64();
            (elapsed > 0.5).then(|| (id, (r1 - r0) as f64 / elapsed))
        })
        .collect()
}

fn within_ten_percent(measured: f64, limit: u64, what: &str) {
    let ratio = measured / limit as f64;
    assert!(
        (0.9..=1.1).contains(&ratio),
        "{what}: {measured:.0} B/s against a limit of {limit} B/s ({ratio:.2})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_download_keeps_its_own_limit_while_others_run_free() {
    let limit = 200 * 1024;
    let big = Arc::new(payload(64 * 1024 * 1024, 41));
    let small = Arc::new(payload(4 * 1024 * 1024, 42));
    let slow_one = mirror(1, big.clone(), Faults::default()).await;
    let free_one = mirror(2, small.clone(), Faults::default()).await;
    let dir = temp_dir("own-limit");
    let (engine, mut events) = Engine::start(Settings::default());
    let limited = engine.add(JobSpec {
        rate_limit: Some(limit),
        ..spec("limited.bin", &dir, &big, &slow_one)
    });
    let free = engine.add(spec("free.bin", &dir, &small, &free_one));
    // The free one is done long before the limited one could be.
    let (_, before) = until(&mut events, 30, finished(free)).await;
    assert!(
        !before.iter().any(finished(limited)),
        "the limited download finished first"
    );
    let rates = measure(
        &mut events,
        Duration::from_millis(600),
        Duration::from_secs(3),
    )
    .await;
    within_ten_percent(rates[&limited], limit, "the limited download");
    engine.send(Command::Remove {
        id: limited,
        delete_files: true,
    });
    until(&mut events, 10, |e| matches!(e, Event::Removed(_))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_limits_hold_beside_the_global_one() {
    let global = 600 * 1024;
    let own = 150 * 1024;
    let data = Arc::new(payload(64 * 1024 * 1024, 43));
    let source = mirror(3, data.clone(), Faults::default()).await;
    let dir = temp_dir("global-and-own");
    let (engine, mut events) = Engine::start(Settings {
        rate_limit: Some(global),
        ..Settings::default()
    });
    let limited = engine.add(JobSpec {
        rate_limit: Some(own),
        ..spec("limited.bin", &dir, &data, &source)
    });
    let other = engine.add(spec("other.bin", &dir, &data, &source));
    let rates = measure(&mut events, Duration::from_secs(1), Duration::from_secs(3)).await;
    within_ten_percent(rates[&limited], own, "the download with its own limit");
    // The rest of the global limit goes to the other download.
    within_ten_percent(rates[&other], global - own, "the other download");
    within_ten_percent(rates[&limited] + rates[&other], global, "both together");
    // Changed while running: the own limit goes, the global one still holds.
    engine.send(Command::SetRateLimit {
        id: limited,
        bytes_per_second: None,
    });
    let (updated, _) = until(&mut events, 5, |e| matches!(e, Event::Updated { .. })).await;
    let Event::Updated { spec, .. } = updated else {
        unreachable!()
    };
    assert_eq!(spec.rate_limit, None);
    let rates = measure(&mut events, Duration::from_secs(1), Duration::from_secs(3)).await;
    within_ten_percent(
        rates[&limited] + rates[&other],
        global,
        "both, no own limit",
    );
    for id in [limited, other] {
        engine.send(Command::Remove {
            id,
            delete_files: true,
        });
    }
}

/// The most connections any progress report shows over `time`.
async fn most_connections(
    events: &mut UnboundedReceiver<Event>,
    id: DownloadId,
    time: Duration,
) -> usize {
    let start = Instant::now();
    let mut most = 0;
    while let Some(left) = time.checked_sub(start.elapsed()) {
        match tokio::time::timeout(left, events.recv()).await {
            Ok(Some(Event::Progress { id: i, progress })) if i == id => {
                most = most.max(progress.connections);
            }
            Ok(Some(Event::Finished { .. })) => panic!("finished while measuring"),
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    most
}

/// Progress reports until one shows connections that `wanted` accepts.
async fn connections_reach(
    events: &mut UnboundedReceiver<Event>,
    id: DownloadId,
    wanted: impl Fn(usize) -> bool,
) {
    until(events, 20, |e| {
        matches!(e, Event::Progress { id: i, progress } if *i == id && wanted(progress.connections))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cap_holds_and_changes_while_running() {
    // Each connection gets 256 KiB/s: more connections are faster, so they are added.
    let data = Arc::new(payload(32 * 1024 * 1024, 44));
    let source = mirror(
        4,
        data.clone(),
        Faults {
            connection_bytes_per_second: Some(256 * 1024),
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("connection-cap");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(JobSpec {
        max_connections: Some(1),
        ..spec("capped.bin", &dir, &data, &source)
    });
    assert_eq!(
        most_connections(&mut events, id, Duration::from_secs(3)).await,
        1
    );
    engine.send(Command::SetConnections { id, max: Some(3) });
    connections_reach(&mut events, id, |n| n == 3).await;
    assert!(most_connections(&mut events, id, Duration::from_secs(2)).await <= 3);
    // Lowered: the extra connections end at their next request.
    engine.send(Command::SetConnections { id, max: Some(1) });
    connections_reach(&mut events, id, |n| n == 1).await;
    assert_eq!(
        most_connections(&mut events, id, Duration::from_secs(2)).await,
        1
    );
    engine.send(Command::Remove {
        id,
        delete_files: true,
    });
    until(&mut events, 10, |e| matches!(e, Event::Removed(_))).await;
}

fn started(events: &[Event]) -> Vec<DownloadId> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Started(id) => Some(*id),
            _ => None,
        })
        .collect()
}

fn moment(weekday: Weekday, hour: u16, unix: i64) -> Moment {
    Moment {
        unix,
        weekday,
        minute: hour * 60,
    }
}

fn night_only() -> Schedule {
    Schedule {
        windows: vec![Window {
            days: Days::EVERY,
            from: TimeOfDay::new(1, 0).unwrap(),
            to: TimeOfDay::new(7, 0).unwrap(),
            allowance: Allowance::Full,
        }],
        otherwise: Allowance::Stopped,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priority_and_order_decide_who_runs_when_the_night_window_opens() {
    let data = Arc::new(payload(256 * 1024, 45));
    let source = mirror(5, data.clone(), Faults::throttled(4 * 1024 * 1024)).await;
    let dir = temp_dir("night-order");
    let clock = Arc::new(TestClock::new(moment(Weekday::Monday, 12, 1_000)));
    let (engine, mut events) = Engine::start_with_clock(
        Settings {
            max_active: 1,
            ..Settings::default()
        },
        clock.clone(),
    );
    engine.send(Command::SetSchedule(night_only()));
    until(&mut events, 5, |e| matches!(e, Event::Schedule(_))).await;
    let ids: Vec<DownloadId> = ["a", "b", "c", "d"]
        .iter()
        .map(|name| engine.add(spec(name, &dir, &data, &source)))
        .collect();
    let [a, b, c, d] = ids[..] else {
        unreachable!()
    };
    engine.send(Command::SetPriority {
        id: d,
        priority: Priority::High,
    });
    engine.send(Command::Reorder {
        id: c,
        place: Place::Top,
    });
    let (order, before) = until(
        &mut events,
        5,
        |e| matches!(e, Event::Order(list) if list.first() == Some(&d) && list.get(1) == Some(&c)),
    )
    .await;
    let Event::Order(order) = order else {
        unreachable!()
    };
    assert_eq!(order, [d, c, a, b]);
    // Outside the window nothing starts.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut seen = before;
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    assert!(started(&seen).is_empty(), "{seen:#?}");
    // 01:00: the window opens and they run one at a time in start order.
    clock.set(moment(Weekday::Tuesday, 1, 50_000));
    let (opened, _) = until(&mut events, 5, |e| matches!(e, Event::Schedule(_))).await;
    let Event::Schedule(in_force) = opened else {
        unreachable!()
    };
    assert_eq!(in_force.allowance, Allowance::Full);
    assert_eq!(
        in_force.until,
        Some((Weekday::Tuesday, TimeOfDay::new(7, 0).unwrap()))
    );
    let (_, before) = until(&mut events, 30, finished(b)).await;
    assert_eq!(started(&before), [d, c, a, b]);
    let (done, _) = until(&mut events, 5, |e| matches!(e, Event::QueueDone(_))).await;
    assert!(matches!(done, Event::QueueDone(WhenDone::Nothing)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_higher_priority_download_takes_the_place_of_a_running_one() {
    let data = Arc::new(payload(8 * 1024 * 1024, 46));
    let source = mirror(6, data.clone(), Faults::throttled(512 * 1024)).await;
    let dir = temp_dir("preempt");
    let (engine, mut events) = Engine::start(Settings {
        max_active: 1,
        ..Settings::default()
    });
    let low = engine.add(spec("low.bin", &dir, &data, &source));
    until(
        &mut events,
        5,
        |e| matches!(e, Event::Started(i) if *i == low),
    )
    .await;
    // Some of it is verified and saved before it must give way.
    let (saved, _) = until(
        &mut events,
        20,
        |e| matches!(e, Event::Progress { id, progress } if *id == low && progress.done > 0),
    )
    .await;
    let Event::Progress { progress, .. } = saved else {
        unreachable!()
    };
    let done_before = progress.done;
    let high = engine.add(JobSpec {
        priority: Priority::High,
        ..spec("high.bin", &dir, &data, &source)
    });
    // The running one goes back to the queue (saved), the new one starts.
    let (_, before) = until(
        &mut events,
        10,
        |e| matches!(e, Event::Started(i) if *i == high),
    )
    .await;
    assert!(
        before
            .iter()
            .any(|e| matches!(e, Event::Queued(i) if *i == low)),
        "{before:#?}"
    );
    assert!(
        !before
            .iter()
            .any(|e| matches!(e, Event::Paused(i) if *i == low))
    );
    // Lowering its priority below the other's gives the place back.
    engine.send(Command::SetPriority {
        id: high,
        priority: Priority::Low,
    });
    let (_, before) = until(
        &mut events,
        10,
        |e| matches!(e, Event::Started(i) if *i == low),
    )
    .await;
    assert!(
        before
            .iter()
            .any(|e| matches!(e, Event::Queued(i) if *i == high))
    );
    // It goes on where it stopped.
    let (resumed, _) = until(
        &mut events,
        10,
        |e| matches!(e, Event::Progress { id, .. } if *id == low),
    )
    .await;
    let Event::Progress { progress, .. } = resumed else {
        unreachable!()
    };
    assert!(
        progress.done >= done_before,
        "resumed from its saved state: {} < {done_before}",
        progress.done
    );
    for id in [low, high] {
        engine.send(Command::Remove {
            id,
            delete_files: true,
        });
    }
    until(
        &mut events,
        10,
        |e| matches!(e, Event::Removed(i) if *i == low),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_windows_limit_stop_and_restart_downloads() {
    let limit = 256 * 1024;
    let data = Arc::new(payload(16 * 1024 * 1024, 47));
    let source = mirror(7, data.clone(), Faults::default()).await;
    let dir = temp_dir("windows");
    // Workdays 09:00–17:00 at 256K, no downloads at weekends, full speed otherwise.
    let schedule = Schedule {
        windows: vec![
            Window {
                days: Days::WORKDAYS,
                from: TimeOfDay::new(9, 0).unwrap(),
                to: TimeOfDay::new(17, 0).unwrap(),
                allowance: Allowance::Limited(limit),
            },
            Window {
                days: Days::WEEKEND,
                from: TimeOfDay::new(0, 0).unwrap(),
                to: TimeOfDay::new(0, 0).unwrap(),
                allowance: Allowance::Stopped,
            },
        ],
        otherwise: Allowance::Full,
    };
    let clock = Arc::new(TestClock::new(moment(Weekday::Wednesday, 10, 0)));
    let (engine, mut events) = Engine::start_with_clock(Settings::default(), clock.clone());
    engine.send(Command::SetSchedule(schedule));
    let (limited, _) = until(&mut events, 5, |e| matches!(e, Event::Schedule(_))).await;
    assert!(matches!(
        limited,
        Event::Schedule(f) if f.allowance == Allowance::Limited(limit)
            && f.until == Some((Weekday::Wednesday, TimeOfDay::new(17, 0).unwrap()))
    ));
    let id = engine.add(spec("day.bin", &dir, &data, &source));
    let rates = measure(&mut events, Duration::from_secs(1), Duration::from_secs(3)).await;
    within_ten_percent(rates[&id], limit, "in the 256K window");
    // Saturday: the download goes back to the queue and waits.
    clock.set(moment(Weekday::Saturday, 10, 0));
    let (_, before) = until(
        &mut events,
        5,
        |e| matches!(e, Event::Queued(i) if *i == id),
    )
    .await;
    assert!(
        before
            .iter()
            .any(|e| matches!(e, Event::Schedule(f) if f.allowance == Allowance::Stopped))
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    while let Ok(event) = events.try_recv() {
        assert!(
            !matches!(event, Event::Started(_) | Event::Progress { .. }),
            "{event:?}"
        );
    }
    // Monday night: full speed, and it finishes.
    clock.set(moment(Weekday::Monday, 20, 0));
    until(
        &mut events,
        5,
        |e| matches!(e, Event::Started(i) if *i == id),
    )
    .await;
    match until(&mut events, 30, finished(id)).await.0 {
        Event::Finished { path, .. } => assert_eq!(std::fs::read(path).unwrap(), *data),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_starts_at_its_time_and_the_queue_says_when_it_is_done() {
    let data = Arc::new(payload(512 * 1024, 48));
    let source = mirror(8, data.clone(), Faults::throttled(1024 * 1024)).await;
    let dir = temp_dir("start-at");
    let clock = Arc::new(TestClock::new(moment(Weekday::Friday, 22, 10_000)));
    let (engine, mut events) = Engine::start_with_clock(Settings::default(), clock.clone());
    engine.send(Command::SetWhenDone(WhenDone::Quit));
    let later = engine.add(JobSpec {
        start_at: Some(10_060),
        ..spec("later.bin", &dir, &data, &source)
    });
    let (waiting, _) = until(&mut events, 5, |e| matches!(e, Event::Waiting { .. })).await;
    assert!(matches!(waiting, Event::Waiting { id, until: 10_060 } if id == later));
    // A running download told to wait stops until then.
    let now = engine.add(spec("now.bin", &dir, &data, &source));
    until(
        &mut events,
        5,
        |e| matches!(e, Event::Started(i) if *i == now),
    )
    .await;
    engine.send(Command::StartAt {
        id: now,
        at: Some(10_120),
    });
    until(
        &mut events,
        5,
        |e| matches!(e, Event::Waiting { id, until: 10_120 } if *id == now),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    while let Ok(event) = events.try_recv() {
        assert!(
            !matches!(event, Event::Started(_) | Event::QueueDone(_)),
            "{event:?}"
        );
    }
    clock.set(moment(Weekday::Friday, 22, 10_060));
    let (_, before) = until(&mut events, 30, finished(later)).await;
    assert_eq!(started(&before), [later]);
    assert!(
        !before.iter().any(|e| matches!(e, Event::QueueDone(_))),
        "one still waits"
    );
    // Started by hand before its time.
    engine.send(Command::Resume(now));
    let (_, before) = until(&mut events, 30, finished(now)).await;
    assert_eq!(started(&before), [now]);
    let (done, _) = until(&mut events, 5, |e| matches!(e, Event::QueueDone(_))).await;
    assert!(matches!(done, Event::QueueDone(WhenDone::Quit)));
}

/// After a restart, a download the schedule holds in the queue shows what is on disk
/// (from its state file) before it runs again, not 0 %.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_download_shows_what_is_on_disk_while_the_schedule_holds_it() {
    let data = Arc::new(payload(8 * 1024 * 1024, 49));
    let source = mirror(9, data.clone(), Faults::default()).await;
    let dir = temp_dir("held");
    let mut job = support::spec("held.bin", &dir, &data, &[&source], true);
    job.rate_limit = Some(1024 * 1024);
    let (engine, mut events) = Engine::start(Settings::default());
    engine.add(job.clone());
    until(
        &mut events,
        10,
        |e| matches!(e, Event::Progress { progress, .. } if progress.done >= 2 * 1024 * 1024),
    )
    .await;
    engine.send(Command::Shutdown);
    until(&mut events, 10, |e| matches!(e, Event::ShutDown)).await;
    drop(engine);

    // Daytime, and downloads only run at night.
    let clock = Arc::new(TestClock::new(moment(Weekday::Wednesday, 12, 0)));
    let (engine, mut events) = Engine::start_with_clock(Settings::default(), clock);
    engine.send(Command::SetSchedule(night_only()));
    let again = engine.add(job);
    let (event, before) = until(&mut events, 5, |e| matches!(e, Event::Progress { .. })).await;
    let Event::Progress {
        id: shown,
        progress,
    } = event
    else {
        unreachable!()
    };
    assert_eq!(shown, again);
    assert!(
        progress.done >= 2 * 1024 * 1024,
        "{} bytes shown",
        progress.done
    );
    assert!(
        !before.iter().any(|e| matches!(e, Event::Started(_))),
        "{before:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
