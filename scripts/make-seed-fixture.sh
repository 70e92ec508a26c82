#!/usr/bin/env bash
# Writes tests/fixtures/seed-2020/events.jsonl: events that encode the 2020
# facts of ../shared/seed (尧都区信访局): 21 work news, 58 leader reception
# sessions and their 58 notices, 4 notices, 156 online complaints (all
# received, transferred to the responsible unit, accepted and closed), 66
# new-media posts, the WeChat account's audience (4585 views in the year,
# 733 followers at year end), zero administrative figures, and a few events
# just outside 2020 that must not count. Deterministic: same output each run.
set -euo pipefail
out=${1:-$(dirname "$0")/../tests/fixtures/seed-2020/events.jsonl}
A=yaodu-xinfang
n=0
ev() { # source type time subject data
	n=$((n + 1))
	printf '{"specversion":"1.0","id":"seed-%04d","source":"%s","type":"disclosure.%s","time":"%s","subject":"%s","agency":"%s","datacontenttype":"application/json","data":%s}\n' \
		"$n" "$1" "$2" "$3" "$4" "$A" "$5"
}
# Day-of-year i (0-based) in 2020 at hh:mm, +08:00.
day() { date -u -d "2020-01-01 +$1 days" +%Y-%m-%d; }
{
	for i in $(seq 0 20); do
		ev /portal/cms publication.published "$(day $((i * 17)))T10:00:00+08:00" "WN2020-$i" \
			"{\"category\":\"work_news\",\"channel\":\"website\",\"title\":\"工作动态 $i\"}"
	done
	for i in $(seq 0 57); do
		d=$(day $((i * 6 + 3)))
		ev /reception-office reception.held "${d}T09:00:00+08:00" "RC2020-$i" \
			"{\"leader\":\"局领导\",\"visitors\":$((i % 7 + 1)),\"location\":\"接待大厅\"}"
		ev /portal/cms publication.published "${d}T17:30:00+08:00" "RN2020-$i" \
			"{\"category\":\"reception_notice\",\"channel\":\"website\",\"title\":\"领导接访信息 $i\",\"session\":\"RC2020-$i\"}"
	done
	for i in 0 1 2 3; do
		ev /portal/cms publication.published "$(day $((i * 90 + 10)))T08:30:00+08:00" "NT2020-$i" \
			"{\"category\":\"notice\",\"channel\":\"website\",\"title\":\"通知公告 $i\"}"
	done
	for i in $(seq 0 155); do
		d=$(day $((i * 2 + 1)))
		ev /complaint-platform complaint.received "${d}T09:15:00+08:00" "TS2020-$i" '{"channel":"online"}'
		ev /complaint-platform complaint.transferred "${d}T15:00:00+08:00" "TS2020-$i" '{"unit":"有权处理责任单位"}'
		ev /complaint-platform complaint.decided "${d}T16:00:00+08:00" "TS2020-$i" '{"accepted":true}'
		ev /complaint-platform complaint.closed "$(day $((i * 2 + 9)))T11:00:00+08:00" "TS2020-$i" '{"result":"办结"}'
	done
	for i in $(seq 0 65); do
		ev /newmedia/wechat publication.published "$(day $((i * 5 + 2)))T20:00:00+08:00" "WX2020-$i" \
			"{\"category\":\"new_media_post\",\"channel\":\"wechat\",\"account\":\"wechat-ydxf\",\"title\":\"尧都阳光信访 $i\"}"
	done
	ev /newmedia/wechat newmedia.snapshot 2020-06-30T23:59:00+08:00 wechat-ydxf \
		'{"views_total":2100,"followers":610,"name":"尧都阳光信访"}'
	ev /newmedia/wechat newmedia.snapshot 2020-12-31T23:59:00+08:00 wechat-ydxf \
		'{"views_total":4585,"followers":733,"name":"尧都阳光信访"}'
	for item in permit other_service punishment coercion; do
		for y in 2019 2020; do
			ev /statistics stats.reported "$((y + 1))-01-05T09:00:00+08:00" "$item/$y" \
				"{\"year\":$y,\"item\":\"$item\",\"projects\":0,\"decisions\":0}"
		done
	done
	for y in 2019 2020; do
		ev /statistics stats.reported "$((y + 1))-01-05T09:00:00+08:00" "fee/$y" \
			"{\"year\":$y,\"item\":\"fee\",\"projects\":0,\"amount\":\"0\"}"
		ev /statistics stats.reported "$((y + 1))-01-05T09:00:00+08:00" "procurement/$y" \
			"{\"year\":$y,\"item\":\"procurement\",\"projects\":0,\"amount\":\"0\"}"
	done
	# Outside 2020 in Asia/Shanghai, though within 2020 in UTC or close to it.
	ev /complaint-platform complaint.received 2019-12-31T23:59:00+08:00 TS2019-999 '{"channel":"online"}'
	ev /complaint-platform complaint.received 2021-01-01T00:10:00+08:00 TS2021-001 '{"channel":"online"}'
	ev /portal/cms publication.published 2021-01-01T07:00:00+08:00 WN2021-0 \
		'{"category":"work_news","channel":"website","title":"2021 工作动态"}'
	ev /newmedia/wechat newmedia.snapshot 2021-01-15T12:00:00+08:00 wechat-ydxf \
		'{"views_total":4700,"followers":740,"name":"尧都阳光信访"}'
} >"$out"
echo "wrote $n events to $out" >&2
