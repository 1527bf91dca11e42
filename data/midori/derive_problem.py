#!/usr/bin/env python3
"""Derive data/midori/problem.json from the public sources in data/midori/sources/.

Run from the repository root:  python3 data/midori/derive_problem.py
Deterministic; no network. The rules below are documented in data/midori/README.md.
"""
import csv, json, math, os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "sources")

# 大字 of 大間々町 counted as 中山間地域 (hilly, north and east of the town centre).
HILL_OAZA_OMAMA = {"浅原", "小平", "塩沢", "塩原", "上神梅", "下神梅", "長尾根"}
HALL_CATEGORIES = {"meeting_hall", "community_hall", "community_center", "elderly_center"}
GAP_KM = 1.5  # a bus stop or 大字 point becomes a stop only this far from every other stop

READINGS = [  # longest first when applied
    ("大間々町", "おおままちょう"), ("笠懸町", "かさかけちょう"), ("東町", "あずまちょう"),
    ("小夜戸", "さよど"), ("座間", "ざま"), ("小中", "こなか"), ("神戸", "ごうど"), ("草木", "くさぎ"),
    ("沢入", "そうり"), ("花輪", "はなわ"), ("荻原", "おぎはら"), ("浅原", "あさはら"), ("小平", "おだいら"),
    ("塩沢", "しおざわ"), ("塩原", "しおばら"), ("上神梅", "かみかんばい"), ("下神梅", "しもかんばい"),
    ("神梅", "かんばい"), ("長尾根", "ながおね"), ("高津戸", "たかつど"), ("桐原", "きりはら"),
    ("大間々", "おおまま"), ("阿左美", "あざみ"), ("久宮", "くぐう"), ("西鹿田", "さいしかだ"),
    ("笠懸", "かさかけ"), ("集会所", "しゅうかいじょ"), ("公民館", "こうみんかん"), ("生活改善センター", "せいかつかいぜんせんたー"),
    ("多世代交流館", "たせだいこうりゅうかん"), ("老人憩の家", "ろうじんいこいのいえ"), ("厚生会館", "こうせいかいかん"),
    ("運動公園", "うんどうこうえん"), ("社会体育館", "しゃかいたいいくかん"), ("旧", "きゅう"), ("小学校", "しょうがっこう"),
    ("第", "だい"), ("区", "く"), ("丁目", "ちょうめ"), ("クラブ", "くらぶ"), ("東", "あずま"),
    ("駅", "えき"), ("入口", "いりぐち"), ("団地", "だんち"), ("八沢", "やさわ"), ("寒沢", "さむさわ"),
    ("暮坪", "くれつぼ"), ("柏ケ谷", "かしわがや"), ("追付橋", "おいつけばし"), ("袖丸", "そでまる"),
    ("三ケ郷", "さんがごう"), ("大曲", "おおまがり"), ("局前", "きょくまえ"), ("橋", "ばし"), ("前", "まえ"),
    ("地区", "ちく"), ("バス停付近", "ばすていふきん"), ("富弘美術館", "とみひろびじゅつかん"), ("国民宿舎", "こくみんしゅくしゃ"),
    ("腰越", "こしごえ"), ("栃原", "とちはら"), ("柳平", "やなぎだいら"), ("阿入", "あいり"), ("花小", "はなこ"),
    ("清水寺", "せいすいじ"), ("神戸原", "ごうどはら"), ("蘭塔場", "らんとうば"), ("橋詰", "はしづめ"),
    ("滝の上", "たきのうえ"), ("童謡ふるさと館", "どうようふるさとかん"), ("駐在所", "ちゅうざいしょ"),
    ("角屋", "かどや"), ("松島", "まつしま"), ("二区", "にく"), ("ダムサイド", "だむさいど"),
    ("オートキャンプ場", "おーときゃんぷじょう"),
]
DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def reading(name):
    s = name.translate(DIGITS).replace("（", "").replace("）", "").replace(" ", "").replace("　", "")
    for word, kana in sorted(READINGS, key=lambda x: -len(x[0])):
        s = s.replace(word, kana)
    ok = all(c.isdigit() or "\u3040" <= c <= "\u30ff" or c == "ー" for c in s)
    return s if ok else ""


def km(a, b):
    lat = math.radians((a[1] + b[1]) / 2)
    dx = (a[0] - b[0]) * 111.32 * math.cos(lat)
    dy = (a[1] - b[1]) * 110.57
    return math.hypot(dx, dy)


def oaza_of(address):
    for prefix in ("東町", "大間々町", "笠懸町"):
        if prefix in address:
            rest = address.split(prefix, 1)[1]
            name = "".join(c for c in rest if not (c.isdigit() or c in "-－0123456789０１２３４５６７８９"))
            return name
    return ""


HALL_WINDOWS = {"weekdays": [["09:00", "12:00"], ["13:00", "16:30"]]}
MEETING_WINDOWS = {"weekdays": [["09:30", "11:30"], ["13:30", "15:30"]]}
OPEN_AIR_WINDOWS = {"weekdays": [["10:00", "15:00"]]}
GYM_WINDOWS = {"weekdays": [["09:00", "16:30"]]}
ALL_KINDS = ["admin", "medical", "class", "pharmacy", "remote_consult"]
OPEN_AIR_KINDS = ["admin", "medical", "pharmacy", "remote_consult"]


def rule(hill):
    if hill:
        return {"min_per_week": 1, "max_per_week": 3, "min_gap_days": 1, "weekdays": ["weekdays"]}
    return {"min_per_week": 0, "max_per_week": 2, "min_gap_days": 1, "weekdays": ["weekdays"]}


DISTRICT_NAMES = {"azuma": "東町", "omama": "大間々町", "kasakake": "笠懸町"}


def main():
    stops = []
    with open(os.path.join(SRC, "midori_public_facilities.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            oaza = oaza_of(row["address"])
            hill = row["district"] == "azuma" or (row["district"] == "omama" and oaza in HILL_OAZA_OMAMA)
            cat = row["category"]
            former_school = row["name"].startswith("旧")
            if not (cat in HALL_CATEGORIES or (hill and (cat == "gym" or former_school))):
                continue
            windows = MEETING_WINDOWS if cat == "meeting_hall" else GYM_WINDOWS if cat == "gym" else HALL_WINDOWS
            stops.append({
                "id": row["id"], "name": row["name"].replace("　", " "), "reading": reading(row["name"]),
                "district": DISTRICT_NAMES[row["district"]], "address": row["address"],
                "lon": float(row["lon"]), "lat": float(row["lat"]), "mountainous": hill,
                "windows": windows, "hosts": ALL_KINDS, "visit_rule": rule(hill),
                "min_stay_minutes": 60 if hill else 30,
                "source": f"国土地理院 指定緊急避難場所・指定避難所データ ({row['gsi_common_ids']})",
            })

    # Community-bus stops of 東町 fill gaps far from every facility (one point per name).
    with open(os.path.join(SRC, "midori_community_bus_stops_2019.geojson"), encoding="utf-8") as f:
        bus = json.load(f)
    by_name = {}
    for feat in bus["features"]:
        by_name.setdefault(feat["properties"]["name"], []).append(feat["geometry"]["coordinates"])
    for i, (name, pts) in enumerate(sorted(by_name.items())):
        p = (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts))
        if all(km(p, (s["lon"], s["lat"])) > GAP_KM for s in stops):
            stops.append({
                "id": f"B{i + 1:03d}", "name": f"{name}（バス停付近）", "reading": reading(f"{name}バス停付近"),
                "district": "東町", "address": "群馬県みどり市東町", "lon": round(p[0], 6), "lat": round(p[1], 6),
                "mountainous": True, "windows": OPEN_AIR_WINDOWS, "hosts": OPEN_AIR_KINDS,
                "visit_rule": rule(True), "min_stay_minutes": 30,
                "source": "群馬県 バス路線情報（GTFS-JP）みどり市コミュニティバス停留所 2019-11-04",
            })

    # Hilly 大字 with no stop nearby get a stand-in stop at the 大字 representative point.
    with open(os.path.join(SRC, "midori_oaza_representative_points.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            oaza = row["oaza"].replace("大間々町", "").replace("東町", "").replace("笠懸町", "")
            hill = row["district"] == "azuma" or oaza in HILL_OAZA_OMAMA
            p = (float(row["lon"]), float(row["lat"]))
            if hill and all(km(p, (s["lon"], s["lat"])) > GAP_KM for s in stops):
                stops.append({
                    "id": f"A{row['postcode']}", "name": f"{oaza}地区（位置は大字代表点）", "reading": reading(f"{oaza}地区"),
                    "district": DISTRICT_NAMES[row["district"]], "address": f"群馬県みどり市{row['oaza']}",
                    "lon": p[0], "lat": p[1], "mountainous": True, "windows": OPEN_AIR_WINDOWS,
                    "hosts": OPEN_AIR_KINDS, "visit_rule": rule(True), "min_stay_minutes": 30,
                    "source": "位置参照情報（大字代表点, Geolonia japanese-addresses）: 駐車場所は要確認 / approximate, confirm a parking place",
                })

    oaza_points = {}
    with open(os.path.join(SRC, "midori_oaza_representative_points.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            oaza_points[row["oaza"]] = (float(row["lon"]), float(row["lat"]))

    def depot(id_, name, oaza, address):
        lon, lat = oaza_points[oaza]
        return {"id": id_, "name": name, "lon": lon, "lat": lat, "approximate": True, "address": address,
                "note": f"位置は{oaza}の大字代表点（建物の座標ではありません） / position of the 大字 representative point"}

    def remote(id_, name, kind, organisation, contact, hours):
        return {"id": id_, "name": name, "kind": kind, "organisation": organisation, "contact": contact, "hours": hours}

    shifts = {"weekdays": ["08:30", "17:15"]}
    lunch = {"window": ["11:30", "13:30"], "minutes": 45}
    problem = {
        "format": "junkai-problem",
        "version": 1,
        "name": "みどり市 行政MaaS・医療MaaS（既定データ）",
        "credits": [
            "出典：国土地理院 指定緊急避難場所データ／指定避難所データ",
            "出典：国土交通省 国土数値情報（行政区域データ）を加工して作成",
            "位置参照情報：Geolonia japanese-addresses（CC BY 4.0）",
            "バス停留所：群馬県「群馬県内バス路線情報（標準的なバス情報フォーマット）」（CC BY 4.0）",
        ],
        "calendar": {"open_weekdays": ["weekdays"], "annual_closures": [["12-29", "01-03"]], "national_holidays": True},
        "travel": {"detour_factor": 1.3, "speed_kmh": 36, "mountain_detour_factor": 1.6, "mountain_speed_kmh": 28},
        "equipment": ["admin", "medical"],
        "service_kinds": [
            {"id": "admin", "name": "手続・相談", "name_en": "Procedures and consultation", "equipment": ["admin"], "default_minutes": 20, "walk_in": True,
             "bring": ["申請書類一式", "タブレット端末・マイナンバーカード読取機", "釣り銭（証明書手数料）"]},
            {"id": "medical", "name": "看護師同乗・オンライン診療", "name_en": "Nurse visit and online consultation", "equipment": ["medical"], "default_minutes": 30,
             "remote_kind": "doctor",
             "bring": ["オンライン診療用端末", "血圧計・体温計・パルスオキシメーター", "処方・お薬手帳の控え"]},
            {"id": "pharmacy", "name": "オンライン服薬指導", "name_en": "Online medication guidance", "equipment": ["medical"], "default_minutes": 15,
             "remote_kind": "pharmacist", "bring": ["オンライン診療用端末", "お薬手帳の控え"]},
            {"id": "remote_consult", "name": "リモート相談窓口", "name_en": "Remote consultation with city hall", "equipment": ["admin"], "default_minutes": 30,
             "remote_kind": "counsellor", "bring": ["相談用端末（ビデオ通話）", "相談票"]},
            {"id": "class", "name": "移動スマホ教室", "name_en": "Smartphone class for seniors", "equipment": ["admin"], "class": {"minutes": 90, "seats": 8},
             "bring": ["貸出用スマートフォン（席数分）", "教材（大きな文字）", "モバイルWi-Fi"]},
        ],
        "depots": [
            depot("kasakake", "笠懸庁舎（本庁）", "笠懸町鹿", "群馬県みどり市笠懸町鹿2952"),
            depot("omama", "大間々庁舎", "大間々町大間々", "群馬県みどり市大間々町大間々1511"),
            depot("azuma", "東支所", "東町花輪", "群馬県みどり市東町花輪"),
        ],
        "vehicles": [
            {"id": "gyosei-1", "name": "移動市役所（行政MaaS 1号車）", "equipment": ["admin"], "depot": "omama", "shifts": shifts,
             "lunch": lunch, "max_work_minutes": 465, "capacity": {"consultations": 16, "seats": 10}},
            {"id": "iryo-1", "name": "移動診療車（医療MaaS 1号車）", "equipment": ["medical"], "depot": "kasakake", "shifts": shifts,
             "lunch": lunch, "max_work_minutes": 465, "capacity": {"consultations": 10, "seats": 0}},
        ],
        "stops": stops,
        # Sample remote staff (assumptions, see README.md): not real clinics or people.
        "remote_staff": [
            remote("clinic-a", "医師A（サンプル）", "doctor", "内科クリニックA（サンプル）", "000-0000-9001",
                   {d: [["13:30", "15:30"]] for d in ("mon", "wed", "fri")}),
            remote("clinic-b", "医師B（サンプル）", "doctor", "ファミリー診療所B（サンプル）", "000-0000-9002",
                   {d: [["10:00", "12:00"]] for d in ("tue", "thu")}),
            remote("clinic-c", "医師C（サンプル）", "doctor", "こども・内科医院C（サンプル）", "000-0000-9003",
                   {"weekdays": [["09:30", "11:30"]]}),
            remote("pharmacy-d", "薬剤師D（サンプル）", "pharmacist", "調剤薬局D（サンプル）", "000-0000-9004",
                   {"weekdays": [["09:30", "11:30"], ["14:00", "16:00"]]}),
            remote("cityhall-counsel", "相談員E（サンプル）", "counsellor", "みどり市役所 市民相談（サンプル）", "000-0000-9005",
                   {"weekdays": [["09:00", "12:00"], ["13:00", "16:00"]]}),
        ],
        "session_buffer_minutes": 5,
        "sample_requests": {"seed": 20261207, "per_week": 36},
    }
    with open(os.path.join(HERE, "problem.json"), "w", encoding="utf-8") as f:
        json.dump(problem, f, ensure_ascii=False, indent=2)
        f.write("\n")
    hills = sum(s["mountainous"] for s in stops)
    print(f"{len(stops)} stops ({hills} mountainous)")


if __name__ == "__main__":
    main()
