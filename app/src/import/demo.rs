//! The deterministic demo-data generator: the real counts (1,197 national and 11,861 municipal
//! model workers, 13 municipal batches 1952–2015), realistic names and records, every record
//! marked `demo`. The same seed always gives the same data, byte for byte.
//!
//! Long because most of it is data: surname frequencies, given-name characters, work units,
//! industries, districts and deed templates, each a table the generator draws from.

use std::collections::HashSet;

use super::reference::{self, MUNICIPAL_SECTION, NATIONAL_SECTION};
use crate::db::*;
use crate::search::pinyin::surname_len;
use crate::wall::layout::{initial_layout, LayoutMode, NameToPlace, SectionGeometry};

pub const DEFAULT_SEED: u64 = 0x1a80_2ba2_1952_2015;

/// Municipal batches: (year, individuals engraved). 13 batches, 11,861 names.
pub const MUNICIPAL_BATCHES: [(i32, u32); 13] = [
    (1952, 310),
    (1955, 520),
    (1956, 1000),
    (1959, 1258),
    (1977, 1180),
    (1979, 1300),
    (1985, 760),
    (1989, 880),
    (1995, 900),
    (2000, 880),
    (2005, 850),
    (2010, 870),
    (2015, 1153),
];
/// National commendations of Beijing people: (year, individuals). 1,197 names.
pub const NATIONAL_BATCHES: [(i32, u32); 13] = [
    (1950, 52),
    (1956, 88),
    (1959, 96),
    (1960, 40),
    (1977, 45),
    (1978, 70),
    (1979, 85),
    (1989, 98),
    (1995, 104),
    (2000, 112),
    (2005, 118),
    (2010, 132),
    (2015, 157),
];

/// A small, fast, reproducible generator (SplitMix64): the demo data must not change when a
/// dependency's RNG does.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u32) -> bool {
        self.below(1000) < percent as usize * 10
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total as usize) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].0
    }
}

/// Surnames with their share per ten thousand people (national census rankings, rounded), plus the
/// surnames whose readings search must get right and a few compound ones.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 710),
    ("李", 700),
    ("张", 670),
    ("刘", 540),
    ("陈", 460),
    ("杨", 310),
    ("赵", 230),
    ("黄", 220),
    ("周", 190),
    ("吴", 200),
    ("徐", 150),
    ("孙", 150),
    ("胡", 110),
    ("朱", 120),
    ("高", 110),
    ("林", 60),
    ("何", 100),
    ("郭", 110),
    ("马", 120),
    ("罗", 80),
    ("梁", 70),
    ("宋", 60),
    ("郑", 60),
    ("谢", 50),
    ("韩", 60),
    ("唐", 50),
    ("冯", 50),
    ("于", 60),
    ("董", 50),
    ("萧", 20),
    ("程", 40),
    ("曹", 50),
    ("袁", 40),
    ("邓", 40),
    ("许", 40),
    ("傅", 30),
    ("沈", 30),
    ("曾", 30),
    ("彭", 30),
    ("吕", 30),
    ("苏", 30),
    ("卢", 30),
    ("蒋", 30),
    ("蔡", 30),
    ("贾", 30),
    ("丁", 30),
    ("魏", 30),
    ("薛", 20),
    ("叶", 20),
    ("阎", 20),
    ("余", 20),
    ("潘", 20),
    ("杜", 30),
    ("戴", 20),
    ("夏", 20),
    ("钟", 20),
    ("汪", 20),
    ("田", 30),
    ("任", 20),
    ("姜", 20),
    ("范", 20),
    ("方", 20),
    ("石", 20),
    ("姚", 20),
    ("谭", 20),
    ("廖", 10),
    ("邹", 10),
    ("熊", 10),
    ("金", 20),
    ("陆", 10),
    ("郝", 20),
    ("孔", 10),
    ("白", 20),
    ("崔", 20),
    ("康", 10),
    ("毛", 10),
    ("邱", 10),
    ("秦", 10),
    ("江", 10),
    ("史", 10),
    ("顾", 10),
    ("侯", 10),
    ("邵", 10),
    ("孟", 10),
    ("龙", 10),
    ("万", 10),
    ("段", 10),
    ("雷", 10),
    ("钱", 10),
    ("汤", 10),
    ("尹", 10),
    ("黎", 5),
    ("易", 5),
    ("常", 10),
    ("武", 10),
    ("乔", 10),
    ("贺", 10),
    ("赖", 5),
    ("龚", 5),
    ("文", 5),
    ("关", 10),
    ("单", 6),
    ("解", 5),
    ("仇", 3),
    ("区", 2),
    ("朴", 3),
    ("查", 3),
    ("翟", 5),
    ("盖", 2),
    ("欧阳", 3),
    ("司马", 2),
    ("诸葛", 1),
    ("上官", 1),
    ("东方", 1),
];

const MALE_CHARS: &[&str] = &[
    "德", "明", "国", "华", "建", "军", "文", "志", "永", "海", "春", "林", "金", "福", "宝", "树",
    "山", "成", "清", "广", "新", "民", "忠", "立", "强", "伟", "勇", "刚", "杰", "涛", "磊", "鹏",
    "斌", "波", "辉", "峰", "宇", "浩", "俊", "东", "光", "力", "庆", "祥", "荣", "振", "兴", "士",
    "良", "贵", "生", "顺", "利", "和", "平", "安", "启", "孝", "云", "学", "中", "守", "仁", "义",
];
const FEMALE_CHARS: &[&str] = &[
    "秀", "英", "兰", "桂", "凤", "淑", "珍", "芳", "玉", "华", "丽", "敏", "静", "红", "霞", "燕",
    "萍", "琴", "云", "梅", "莉", "娟", "婷", "颖", "洁", "慧", "雪", "艳", "玲", "荣", "素", "月",
];
/// Rare characters that real name lists contain and fonts and search must cope with.
const RARE_CHARS: &[&str] = &[
    "堃", "喆", "犇", "淼", "燚", "赟", "玥", "旻", "翀", "彧", "婕", "昇",
];

const UYGHUR_GIVEN: &[&str] = &[
    "艾尔肯",
    "买买提",
    "阿不都",
    "热合曼",
    "阿依古丽",
    "古丽娜尔",
    "帕提古丽",
    "努尔",
];
const UYGHUR_FATHER: &[&str] = &[
    "吐尔逊",
    "艾力",
    "买买提",
    "阿布都拉",
    "卡德尔",
    "司马义",
    "依明",
];
const MONGOL_NAMES: &[&str] = &["巴特尔", "乌云其木格", "斯琴", "额尔敦", "苏和", "其木格"];

const DISTRICTS: &[&str] = &[
    "东城区",
    "西城区",
    "朝阳区",
    "海淀区",
    "丰台区",
    "石景山区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "昌平区",
    "大兴区",
    "怀柔区",
    "平谷区",
    "密云区",
    "延庆区",
];
const NATIVE_PLACES: &[&str] = &[
    "北京",
    "河北保定",
    "河北沧州",
    "天津",
    "山东德州",
    "山东济南",
    "河南开封",
    "山西大同",
    "辽宁沈阳",
    "江苏南京",
    "浙江宁波",
    "湖北武汉",
    "四川成都",
    "内蒙古呼和浩特",
    "黑龙江哈尔滨",
    "新疆喀什",
];

struct Industry {
    name: &'static str,
    units: &'static [&'static str],
    posts: &'static [&'static str],
    /// Staff of government bodies and public institutions get 先进工作者 rather than 劳动模范.
    institution: bool,
    scitech: bool,
    /// (first year it appears, weight).
    from: i32,
    weight: u32,
    deed: &'static str,
}

const INDUSTRIES: &[Industry] = &[
    Industry {
        name: "机械制造",
        units: &[
            "北京第一机床厂",
            "北京第二机床厂",
            "北京重型电机厂",
            "北京内燃机总厂",
            "北京起重机器厂",
            "北京汽车制造厂",
        ],
        posts: &["车工", "钳工", "铣工", "技术员", "车间主任"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 14,
        deed: "刻苦钻研技术，革新工装夹具{n}项，提高工效{p}倍，所在班组连续多年超额完成生产计划",
    },
    Industry {
        name: "冶金",
        units: &["首钢总公司", "首钢第一炼钢厂", "北京钢厂", "首钢矿业公司"],
        posts: &["炉前工", "轧钢工", "炼钢工", "高级技师"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 8,
        deed: "坚守炉台{n}年，创造连续安全生产纪录，主持攻关项目为企业节约资金{p}百万元",
    },
    Industry {
        name: "纺织",
        units: &[
            "北京第一棉纺织厂",
            "北京第二棉纺织厂",
            "北京第三棉纺织厂",
            "北京毛纺织厂",
            "北京印染厂",
        ],
        posts: &["挡车工", "细纱工", "织布工", "保全工"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 10,
        deed: "总结推广先进操作法，看台能力提高{p}成，连续{n}年无疵布，带出徒弟数十名",
    },
    Industry {
        name: "交通运输",
        units: &[
            "北京市公共交通总公司",
            "北京公交集团第一客运分公司",
            "北京地铁运营公司",
            "北京铁路局北京站",
            "北京出租汽车公司",
        ],
        posts: &["公交车驾驶员", "售票员", "调度员", "列车长", "地铁司机"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 10,
        deed: "安全行车{n}万公里无事故，热情服务乘客，收到表扬信{p}百余封",
    },
    Industry {
        name: "建筑",
        units: &[
            "北京市第一建筑工程公司",
            "北京城建集团",
            "北京住总集团",
            "北京市政路桥集团",
        ],
        posts: &["瓦工", "木工", "钢筋工", "项目经理", "施工员"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 9,
        deed: "参加{n}项首都重点工程建设，创出砌砖新纪录，工程质量全部达到优良",
    },
    Industry {
        name: "商业服务",
        units: &[
            "王府井百货大楼",
            "北京市西单商场",
            "全聚德烤鸭店",
            "东来顺饭庄",
            "北京市百货公司",
        ],
        posts: &["售货员", "厨师", "服务员", "经理"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 8,
        deed: "练就“一抓准”“一口清”过硬本领，{n}年如一日热情接待顾客，被誉为“首都服务明星”",
    },
    Industry {
        name: "农业",
        units: &[
            "顺义区张镇",
            "大兴区庞各庄镇",
            "平谷区大华山镇",
            "通州区宋庄镇",
            "昌平区小汤山镇",
            "房山区窦店镇",
        ],
        posts: &["农民", "村党支部书记", "农业技术员", "养殖户"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 11,
        deed: "带领乡亲科学种田，粮食亩产提高{p}成，发展特色种养业，带动{n}百户农民增收致富",
    },
    Industry {
        name: "教育",
        units: &[
            "北京市第四中学",
            "北京师范大学附属中学",
            "海淀区中关村第一小学",
            "北京市第八中学",
            "北京大学",
            "清华大学",
        ],
        posts: &["教师", "校长", "教授", "班主任"],
        institution: true,
        scitech: true,
        from: 1956,
        weight: 7,
        deed: "从教{n}年，潜心教学改革，所带班级成绩名列前茅，培养的学生中有{p}十余人成为行业骨干",
    },
    Industry {
        name: "卫生",
        units: &[
            "北京协和医院",
            "北京同仁医院",
            "北京积水潭医院",
            "北京儿童医院",
            "北京朝阳医院",
        ],
        posts: &["主任医师", "护士长", "护士", "医生"],
        institution: true,
        scitech: true,
        from: 1956,
        weight: 7,
        deed: "从医{n}年，救治危重病人数千例，开展新技术{p}项，医德高尚，深受患者信赖",
    },
    Industry {
        name: "科研",
        units: &[
            "中国科学院北京分院",
            "北京市农林科学院",
            "北京有色金属研究总院",
            "北京市市政工程研究院",
        ],
        posts: &["研究员", "高级工程师", "工程师"],
        institution: true,
        scitech: true,
        from: 1959,
        weight: 6,
        deed: "主持完成科研课题{n}项，获国家科技进步奖，成果转化创造经济效益{p}千万元",
    },
    Industry {
        name: "邮电通信",
        units: &["北京市邮政局", "北京电信局", "北京市电话局"],
        posts: &["投递员", "话务员", "线务员", "工程师"],
        institution: false,
        scitech: false,
        from: 1950,
        weight: 5,
        deed: "风雨无阻投递邮件{n}年，做到准确无误，开辟便民服务新路子{p}条",
    },
    Industry {
        name: "市政环卫",
        units: &[
            "北京市环境卫生管理局",
            "北京市自来水集团",
            "北京市热力集团",
            "北京燃气集团",
        ],
        posts: &["环卫工人", "清洁工", "管道工", "供热工"],
        institution: false,
        scitech: false,
        from: 1952,
        weight: 6,
        deed: "不怕脏不怕累，负责的{n}条街道常年保持整洁，总结的作业法在全市推广",
    },
    Industry {
        name: "能源化工",
        units: &["北京供电局", "京能集团", "北京石油化工总厂", "燕山石化公司"],
        posts: &["变电运行工", "电工", "司炉工", "化工操作工"],
        institution: false,
        scitech: false,
        from: 1956,
        weight: 6,
        deed: "提出合理化建议{n}条，解决生产难题{p}十余个，保障首都能源安全供应",
    },
    Industry {
        name: "机关",
        units: &[
            "北京市东城区人民政府",
            "北京市公安局",
            "北京市人民检察院",
            "北京市西城区街道办事处",
        ],
        posts: &["公务员", "民警", "科员", "社区工作者"],
        institution: true,
        scitech: false,
        from: 1977,
        weight: 4,
        deed: "扎根基层{n}年，为群众办实事{p}百余件，被群众称为“贴心人”",
    },
    Industry {
        name: "信息技术",
        units: &[
            "联想集团",
            "北京北大方正集团",
            "百度在线网络技术（北京）有限公司",
            "京东集团",
            "小米科技有限责任公司",
        ],
        posts: &["软件工程师", "技术总监", "快递员", "外卖骑手"],
        institution: false,
        scitech: true,
        from: 1995,
        weight: 7,
        deed: "带领团队攻克关键技术{n}项，获授权发明专利{p}十项，产品服务数亿用户",
    },
];

struct Generated {
    person: PersonRow,
    year: i32,
    honour: &'static str,
    level: &'static str,
}

pub fn generate(seed: u64) -> Dataset {
    let mut rng = Rng(seed);
    let mut data = Dataset {
        categories: reference::honour_categories(),
        sections: reference::wall_sections(),
        ..Dataset::default()
    };

    let mut batch_id = 0i64;
    let mut batch_for = |data: &mut Dataset, level: &str, year: i32| -> i64 {
        if let Some(b) = data
            .batches
            .iter()
            .find(|b| b.level == level && b.year == year)
        {
            return b.id;
        }
        batch_id += 1;
        data.batches.push(BatchRow {
            id: batch_id,
            level: level.into(),
            year,
            seq: 1,
            published: true,
        });
        batch_id
    };

    let mut generated: Vec<Generated> = Vec::new();
    let mut seen_names: HashSet<(i32, String)> = HashSet::new();
    let plan = NATIONAL_BATCHES
        .iter()
        .map(|(y, n)| ("national", *y, *n))
        .chain(MUNICIPAL_BATCHES.iter().map(|(y, n)| ("municipal", *y, *n)));
    for (level, year, count) in plan {
        for _ in 0..count {
            let mut person = make_person(&mut rng, year);
            // A batch rarely repeats a name; when the generator does, draw again (same-name people
            // across batches are kept: search must tell them apart).
            while !seen_names.insert((year, person.name_engraved.clone())) {
                person = make_person(&mut rng, year);
            }
            let institution = INDUSTRIES
                .iter()
                .any(|i| Some(i.name) == person.industry.as_deref() && i.institution);
            let honour = match (level, institution && year >= 1956) {
                ("national", false) => "national_model",
                ("national", true) => "national_advanced",
                (_, false) => "beijing_model",
                (_, true) => "beijing_advanced",
            };
            generated.push(Generated {
                person,
                year,
                honour,
                level,
            });
        }
    }

    // Ids in wall order of generation; honours and slots follow.
    let mut honour_id = 0i64;
    for (i, g) in generated.iter_mut().enumerate() {
        g.person.id = i as i64 + 1;
    }
    for g in &generated {
        let bid = batch_for(&mut data, g.level, g.year);
        honour_id += 1;
        data.honours.push(HonourRow {
            id: honour_id,
            category: g.honour.into(),
            person_id: Some(g.person.id),
            organisation_id: None,
            year: g.year,
            batch_id: Some(bid),
        });
    }
    let engraved_honour_count = honour_id;

    // Yearly medals some laureates received before their commendation.
    for g in &generated {
        if g.year >= 1990 && rng.chance(12) {
            honour_id += 1;
            data.honours.push(HonourRow {
                id: honour_id,
                category: "capital_medal".into(),
                person_id: Some(g.person.id),
                organisation_id: None,
                year: g.year - 1 - rng.below(3) as i32,
                batch_id: None,
            });
        }
        if g.year >= 1986 && g.level == "national" && rng.chance(30) {
            honour_id += 1;
            data.honours.push(HonourRow {
                id: honour_id,
                category: "may_day_medal".into(),
                person_id: Some(g.person.id),
                organisation_id: None,
                year: g.year - 1 - rng.below(4) as i32,
                batch_id: None,
            });
        }
    }

    // Deeds in the dictionary's style for the national laureates, short deeds for a third of the
    // municipal ones; portraits and micro-videos for about a hundred.
    let mut media_id = 0i64;
    let mut with_media = 0;
    for g in generated.iter_mut() {
        let national = g.level == "national";
        if national || rng.chance(30) {
            let (short, full) = deeds(&mut rng, &g.person, g.year, g.honour);
            g.person.deeds_short = Some(short);
            if national {
                g.person.deeds_full = Some(full);
            }
        }
        if national && g.year >= 1977 && with_media < 100 && rng.chance(14) {
            with_media += 1;
            let pid = g.person.id;
            media_id += 1;
            data.media.push(MediaRow {
                id: media_id,
                person_id: pid,
                kind: "portrait".into(),
                url: format!("/media/portraits/{pid}.svg"),
                title: Some(format!("{}（示意画像）", g.person.name_engraved)),
                demo: true,
            });
            media_id += 1;
            // Every fourth video is a file the page can play inline; the others are links out.
            let url = if with_media % 4 == 0 {
                "/media/demo/micro-video.webm".to_string()
            } else {
                format!("https://video.example.org/laomo/{pid}")
            };
            data.media.push(MediaRow {
                id: media_id,
                person_id: pid,
                kind: "video".into(),
                url,
                title: Some(format!("劳模微视频：{}", g.person.name_engraved)),
                demo: true,
            });
        }
    }

    // Collectives and teams: records and pages, never engraved.
    let mut org_id = 0i64;
    for &(year, category, count) in &[
        (2005, "beijing_collective", 40u32),
        (2010, "beijing_collective", 45),
        (2015, "beijing_collective", 60),
        (2012, "may_day_award", 8),
        (2014, "may_day_award", 8),
        (2013, "worker_pioneer", 12),
        (2016, "capital_award", 10),
        (2017, "beijing_pioneer", 15),
    ] {
        for _ in 0..count {
            let industry = rng.pick(INDUSTRIES);
            let unit = rng.pick(industry.units);
            let team = matches!(
                category,
                "worker_pioneer" | "beijing_pioneer" | "beijing_collective"
            );
            let name = if team {
                let dept = rng.pick(&[
                    "第一车间",
                    "技术中心",
                    "质检班",
                    "运营一班",
                    "急诊科",
                    "项目部",
                    "服务中心",
                ]);
                format!("{unit}{dept}")
            } else {
                unit.to_string()
            };
            if data.organisations.iter().any(|o| o.name == name) {
                continue;
            }
            org_id += 1;
            data.organisations.push(OrganisationRow {
                id: org_id,
                name,
                kind: if team {
                    "team".into()
                } else {
                    "organisation".into()
                },
                parent_name: team.then(|| unit.to_string()),
                industry: Some(industry.name.into()),
                district: Some(rng.pick(DISTRICTS).to_string()),
                deeds_short: Some(format!("团结协作、勇于创新，{}成绩突出。", industry.name)),
                demo: true,
            });
            honour_id += 1;
            let batch_id =
                (category == "beijing_collective").then(|| batch_for(&mut data, "municipal", year));
            data.honours.push(HonourRow {
                id: honour_id,
                category: category.into(),
                person_id: None,
                organisation_id: Some(org_id),
                year,
                batch_id,
            });
        }
    }

    // Wall slots: the first layout of each section.
    let mut slot_id = 0i64;
    for section in reference::wall_sections() {
        let geometry = SectionGeometry {
            mode: LayoutMode::parse(&section.mode).expect("reference data uses known modes"),
            rows_per_stone: section.rows_per_stone as u16,
            names_per_row: section.names_per_row as u16,
        };
        let level = if section.code == NATIONAL_SECTION {
            "national"
        } else {
            "municipal"
        };
        debug_assert!(section.code == NATIONAL_SECTION || section.code == MUNICIPAL_SECTION);
        let members: Vec<(usize, &Generated)> = generated
            .iter()
            .enumerate()
            .filter(|(_, g)| g.level == level)
            .collect();
        let names: Vec<NameToPlace> = members
            .iter()
            .map(|(_, g)| NameToPlace {
                year: g.year,
                name: &g.person.name_engraved,
            })
            .collect();
        let slots = initial_layout(&geometry, &names);
        for ((index, g), slot) in members.iter().zip(slots) {
            slot_id += 1;
            data.slots.push(SlotRow {
                id: slot_id,
                section_id: section.id,
                person_id: g.person.id,
                honour_id: *index as i64 + 1,
                year: g.year,
                stone: slot.stone as i64,
                row_no: slot.row as i64,
                position: slot.position as i64,
                // Every demo name is from a year the stones were cut with.
                engraved: true,
            });
        }
    }
    debug_assert_eq!(engraved_honour_count as usize, generated.len());
    // A schematic plan of each monument's grounds, for the kiosks' maps.
    let plans: Vec<String> = data
        .sections
        .iter()
        .map(|section| {
            let plan = super::plan::schematic_for(&data, section);
            serde_json::to_string(&plan).expect("a plan serialises")
        })
        .collect();
    for (section, plan) in data.sections.iter_mut().zip(plans) {
        section.plan = Some(plan);
    }
    data.people = generated.into_iter().map(|g| g.person).collect();
    data
}

fn make_person(rng: &mut Rng, year: i32) -> PersonRow {
    let female = rng.chance(if year < 1970 { 22 } else { 38 });
    let ethnicity = *rng.weighted(&[
        ("汉族", 940u32),
        ("回族", 25),
        ("满族", 20),
        ("蒙古族", 6),
        ("朝鲜族", 3),
        ("维吾尔族", 3),
        ("藏族", 1),
        ("壮族", 2),
    ]);
    let name = match ethnicity {
        "维吾尔族" => format!("{}·{}", rng.pick(UYGHUR_GIVEN), rng.pick(UYGHUR_FATHER)),
        "蒙古族" if rng.chance(50) => rng.pick(MONGOL_NAMES).to_string(),
        _ => {
            let surname = match ethnicity {
                "回族" => *rng.pick(&["马", "白", "沙", "哈", "纳", "杨", "金"]),
                "满族" => *rng.pick(&["关", "佟", "那", "金", "赵", "富", "索"]),
                "朝鲜族" => *rng.pick(&["朴", "金", "崔", "李", "郑"]),
                _ => *rng.weighted(SURNAMES),
            };
            let pool = if female { FEMALE_CHARS } else { MALE_CHARS };
            let one_char = rng.chance(if year < 1980 { 35 } else { 20 });
            let mut given = String::new();
            given.push_str(if rng.chance(1) {
                *rng.pick(RARE_CHARS)
            } else {
                *rng.pick(pool)
            });
            if !one_char {
                given.push_str(if rng.chance(1) {
                    *rng.pick(RARE_CHARS)
                } else {
                    *rng.pick(pool)
                });
            }
            format!("{surname}{given}")
        }
    };
    let available: Vec<&Industry> = INDUSTRIES.iter().filter(|i| i.from <= year).collect();
    let weighted: Vec<(&Industry, u32)> = available.iter().map(|i| (*i, i.weight)).collect();
    let industry = *rng.weighted(&weighted);
    let post = *rng.pick(industry.posts);
    let manager = matches!(
        post,
        "车间主任" | "项目经理" | "经理" | "校长" | "技术总监" | "村党支部书记"
    );
    let unit = rng.pick(industry.units);
    let district = if industry.name == "农业" {
        unit.split('区')
            .next()
            .map(|d| format!("{d}区"))
            .unwrap_or_default()
    } else {
        rng.pick(DISTRICTS).to_string()
    };
    let surname: String = name.chars().take(surname_len(&name)).collect();
    PersonRow {
        id: 0,
        name_engraved: name.clone(),
        name_correct: name,
        surname,
        sex: Some(if female { "F" } else { "M" }.into()),
        ethnicity: Some(ethnicity.into()),
        birth_year: Some(year - 25 - rng.below(30) as i32),
        native_place: Some(rng.pick(NATIVE_PLACES).to_string()),
        political: Some(
            rng.weighted(&[
                ("中共党员", 70u32),
                ("群众", 20),
                ("民主党派", 5),
                ("共青团员", 5),
            ])
            .to_string(),
        ),
        work_unit: Some(unit.to_string()),
        post: Some(post.into()),
        industry: Some(industry.name.into()),
        district: Some(district),
        frontline: !manager && !industry.institution,
        scitech: industry.scitech && !matches!(post, "快递员" | "外卖骑手" | "护士" | "班主任"),
        manager,
        deeds_short: None,
        deeds_full: None,
        demo: true,
    }
}

fn deeds(rng: &mut Rng, p: &PersonRow, year: i32, honour: &str) -> (String, String) {
    let industry = INDUSTRIES
        .iter()
        .find(|i| Some(i.name) == p.industry.as_deref())
        .unwrap_or(&INDUSTRIES[0]);
    let n = 3 + rng.below(20);
    let m = 2 + rng.below(8);
    let deed = industry
        .deed
        .replace("{n}", &n.to_string())
        .replace("{p}", &m.to_string());
    let title = match honour {
        "national_model" => "全国劳动模范",
        "national_advanced" => "全国先进工作者",
        "beijing_model" => "北京市劳动模范",
        _ => "北京市先进工作者",
    };
    let sex = if p.sex.as_deref() == Some("F") {
        "女"
    } else {
        "男"
    };
    let short = format!(
        "{}{}{}。{}。{}年被评为{}。",
        p.work_unit.as_deref().unwrap_or(""),
        p.post.as_deref().unwrap_or(""),
        p.name_engraved,
        deed,
        year,
        title
    );
    let full = format!(
        "{name}，{sex}，{eth}，{birth}年生，{native}人，{pol}。{unit}{post}。\n\n主要事迹：{deed}。{pronoun}始终把“干一行、爱一行、钻一行”作为座右铭，在平凡岗位上作出了不平凡的贡献。{year}年被评为{title}。\n\n（示例数据：本条目由演示数据生成器按《北京市全国劳模大辞典》体例生成，并非真实人物。）",
        name = p.name_engraved,
        pronoun = if p.sex.as_deref() == Some("F") { "她" } else { "他" },
        eth = p.ethnicity.as_deref().unwrap_or(""),
        birth = p.birth_year.unwrap_or(year - 40),
        native = p.native_place.as_deref().unwrap_or(""),
        pol = p.political.as_deref().unwrap_or(""),
        unit = p.work_unit.as_deref().unwrap_or(""),
        post = p.post.as_deref().unwrap_or(""),
    );
    (short, full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_counts() {
        let data = generate(DEFAULT_SEED);
        assert_eq!(MUNICIPAL_BATCHES.iter().map(|b| b.1).sum::<u32>(), 11_861);
        assert_eq!(NATIONAL_BATCHES.iter().map(|b| b.1).sum::<u32>(), 1_197);
        assert_eq!(data.people.len(), 13_058);
        let in_section = |id: i64| data.slots.iter().filter(|s| s.section_id == id).count();
        assert_eq!(in_section(1), 11_861);
        assert_eq!(in_section(2), 1_197);
        let municipal_years: HashSet<i32> = data
            .batches
            .iter()
            .filter(|b| b.level == "municipal")
            .map(|b| b.year)
            .collect();
        assert_eq!(municipal_years.len(), 13);
        assert!(municipal_years.iter().all(|y| (1952..=2015).contains(y)));
        assert!(data.people.iter().all(|p| p.demo));
        let media_people: HashSet<i64> = data.media.iter().map(|m| m.person_id).collect();
        assert!(
            (90..=100).contains(&media_people.len()),
            "{}",
            media_people.len()
        );
        assert!(data.organisations.len() > 100);
    }

    #[test]
    fn deterministic() {
        assert_eq!(generate(DEFAULT_SEED), generate(DEFAULT_SEED));
        assert_ne!(generate(1).people[0..50], generate(2).people[0..50]);
    }

    #[test]
    fn realistic_names() {
        let data = generate(DEFAULT_SEED);
        let names: Vec<&str> = data
            .people
            .iter()
            .map(|p| p.name_engraved.as_str())
            .collect();
        assert!(
            names.iter().any(|n| n.contains('·')),
            "minority names with ·"
        );
        assert!(
            names.iter().any(|n| n.chars().count() == 2),
            "one-character given names"
        );
        assert!(
            names.iter().any(|n| n.chars().count() == 3),
            "two-character given names"
        );
        assert!(
            names
                .iter()
                .any(|n| RARE_CHARS.iter().any(|c| n.contains(c))),
            "rare characters"
        );
        for s in ["单", "曾", "解", "仇", "区", "朴", "查"] {
            assert!(data.people.iter().any(|p| p.surname == s), "surname {s}");
        }
        let wang = names.iter().filter(|n| n.starts_with('王')).count() as f64 / names.len() as f64;
        assert!((0.04..0.11).contains(&wang), "王 share {wang}");
    }

    #[test]
    fn slots_are_unique_and_ordered() {
        let data = generate(DEFAULT_SEED);
        let mut seen = HashSet::new();
        for s in &data.slots {
            assert!(seen.insert((s.section_id, s.stone, s.row_no, s.position)));
        }
        // Within a municipal stone, names follow the stroke rule.
        let names: std::collections::HashMap<i64, &str> = data
            .people
            .iter()
            .map(|p| (p.id, p.name_engraved.as_str()))
            .collect();
        let mut stone1: Vec<&SlotRow> = data
            .slots
            .iter()
            .filter(|s| s.section_id == 1 && s.stone == 1)
            .collect();
        stone1.sort_by_key(|s| (s.row_no, s.position));
        for pair in stone1.windows(2) {
            let (a, b) = (names[&pair[0].person_id], names[&pair[1].person_id]);
            assert_ne!(
                crate::wall::strokes::compare_names(a, b),
                std::cmp::Ordering::Greater,
                "{a} {b}"
            );
        }
    }
}
