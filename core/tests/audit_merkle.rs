//! The audit log's Merkle tree against published RFC 6962 vectors, a recursive reference
//! written from RFC 9162's definitions, and an independent implementation (Cloudflare's
//! `tlog_tiles`, a port of Go's golang.org/x/mod/sumdb/tlog).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use finmark::ErrorKind;
use finmark::audit::{
    BatchedSource, Hash, MerkleTree, SubtreeCache, leaf_hash, node_hash, verify_consistency,
    verify_inclusion,
};

/// Every inclusion and consistency probe of transparency-dev/merkle `testdata/` (commit
/// 417fb0c314750d94e53942e9f92e79b6d35915db, written by its `cmd/proofgen`), one JSON object a
/// line with its file name; hashes in base64 as there, `desc` left out.
const VECTORS: &str = r#"{"file":"consistency/0/happy-path.json","size1":1,"size2":1,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":false}
{"file":"consistency/1/empty-proof.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":[],"wantErr":true}
{"file":"consistency/1/happy-path.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":false}
{"file":"consistency/1/modified-proof@0-bit-@4.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["hqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/modified-proof@1-bit-@4.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Twg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/modified-proof@2-bit-@4.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","e0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/preceding-garbage.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["","lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/preceding-proof-@0.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/preceding-root1.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/preceding-root2.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/size1-XOR-@2.json","size1":3,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/size1-plus-@1.json","size1":2,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/size1-sub-@1.json","size1":0,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/size2-div-@2.json","size1":1,"size2":4,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/size2-mul-@2.json","size1":1,"size2":16,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/swapped-roots.json","size1":1,"size2":8,"root1":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","root2":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/trailing-garbage.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",""],"wantErr":true}
{"file":"consistency/1/trailing-root1.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=","bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="],"wantErr":true}
{"file":"consistency/1/trailing-root2.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=","XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="],"wantErr":true}
{"file":"consistency/1/truncated-proof.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="],"wantErr":true}
{"file":"consistency/1/wrong-root1.json","size1":1,"size2":8,"root1":"V3JvbmdSb290","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/1/wrong-root2.json","size1":1,"size2":8,"root1":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","root2":"V3JvbmdSb290","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"consistency/2/empty-proof.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":[],"wantErr":true}
{"file":"consistency/2/happy-path.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":false}
{"file":"consistency/2/modified-proof@0-bit-@4.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["HrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/modified-proof@1-bit-@4.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","2oVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/modified-proof@2-bit-@4.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","w37kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/preceding-garbage.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/preceding-proof-@0.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/preceding-root1.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/preceding-root2.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/size1-XOR-@2.json","size1":4,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/size1-plus-@1.json","size1":7,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/size1-sub-@1.json","size1":5,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/size2-div-@2.json","size1":6,"size2":4,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/size2-mul-@2.json","size1":6,"size2":16,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/swapped-roots.json","size1":6,"size2":8,"root1":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","root2":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/trailing-garbage.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",""],"wantErr":true}
{"file":"consistency/2/trailing-root1.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=","duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8="],"wantErr":true}
{"file":"consistency/2/trailing-root2.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=","XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="],"wantErr":true}
{"file":"consistency/2/truncated-proof.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA="],"wantErr":true}
{"file":"consistency/2/wrong-root1.json","size1":6,"size2":8,"root1":"V3JvbmdSb290","root2":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/2/wrong-root2.json","size1":6,"size2":8,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"V3JvbmdSb290","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/3/empty-proof.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":[],"wantErr":true}
{"file":"consistency/3/happy-path.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":false}
{"file":"consistency/3/modified-proof@0-bit-@4.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Twg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/modified-proof@1-bit-@4.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","rBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/preceding-garbage.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/preceding-proof-@0.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/preceding-root1.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/preceding-root2.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/size1-XOR-@2.json","size1":0,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/size1-plus-@1.json","size1":3,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/size1-sub-@1.json","size1":1,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/size2-div-@2.json","size1":2,"size2":2,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/size2-mul-@2.json","size1":2,"size2":10,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/swapped-roots.json","size1":2,"size2":5,"root1":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","root2":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/trailing-garbage.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",""],"wantErr":true}
{"file":"consistency/3/trailing-root1.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"consistency/3/trailing-root2.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ="],"wantErr":true}
{"file":"consistency/3/truncated-proof.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="],"wantErr":true}
{"file":"consistency/3/wrong-root1.json","size1":2,"size2":5,"root1":"V3JvbmdSb290","root2":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/3/wrong-root2.json","size1":2,"size2":5,"root1":"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","root2":"V3JvbmdSb290","proof":["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"consistency/4/empty-proof.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":[],"wantErr":true}
{"file":"consistency/4/happy-path.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":false}
{"file":"consistency/4/modified-proof@0-bit-@4.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["HrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/modified-proof@1-bit-@4.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","oIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/modified-proof@2-bit-@4.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","w37kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/preceding-garbage.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/preceding-proof-@0.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/preceding-root1.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/preceding-root2.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/size1-XOR-@2.json","size1":4,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/size1-plus-@1.json","size1":7,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/size1-sub-@1.json","size1":5,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/size2-div-@2.json","size1":6,"size2":3,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/size2-mul-@2.json","size1":6,"size2":14,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/swapped-roots.json","size1":6,"size2":7,"root1":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","root2":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/trailing-garbage.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",""],"wantErr":true}
{"file":"consistency/4/trailing-root1.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=","duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8="],"wantErr":true}
{"file":"consistency/4/trailing-root2.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=","3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw="],"wantErr":true}
{"file":"consistency/4/truncated-proof.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8="],"wantErr":true}
{"file":"consistency/4/wrong-root1.json","size1":6,"size2":7,"root1":"V3JvbmdSb290","root2":"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/4/wrong-root2.json","size1":6,"size2":7,"root1":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","root2":"V3JvbmdSb290","proof":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"consistency/additional/consistency-check-on-empty-tree-size1-is-zero-is-useless.json","size1":0,"size2":1,"root1":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","root2":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","proof":["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],"wantErr":true}
{"file":"consistency/additional/roots-do-not-match-and-sizes-are-zero.json","size1":0,"size2":0,"root1":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/roots-do-not-not-match-and-sizes-are-one.json","size1":1,"size2":1,"root1":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/size1-is-greater-than-size2-again.json","size1":2,"size2":1,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/size1-is-greater-than-size2.json","size1":1,"size2":0,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/size1-is-zero-and-does-not-equal-size2.json","size1":0,"size2":1,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/size1-is-zero-and-size2-is-not-zero.json","size1":0,"size2":1,"root1":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/sizes-are-equal-one-and-proof-is-empty.json","size1":1,"size2":1,"root1":"ZG9uJ3QgY2FyZSAy","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":false}
{"file":"consistency/additional/sizes-are-equal-one-but-roots-are-not.json","size1":1,"size2":1,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/sizes-are-equal-zero-and-proof-is-empty.json","size1":0,"size2":0,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAx","proof":[],"wantErr":true}
{"file":"consistency/additional/sizes-are-equal-zero-but-roots-are-not.json","size1":0,"size2":0,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/sizes-do-not-watch-and-proof-is-empty.json","size1":1,"size2":2,"root1":"ZG9uJ3QgY2FyZSAx","root2":"ZG9uJ3QgY2FyZSAy","proof":[],"wantErr":true}
{"file":"consistency/additional/sizes-match-but-proof-is-not-empty-and-sizes-are-one.json","size1":1,"size2":1,"root1":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","root2":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","proof":["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],"wantErr":true}
{"file":"consistency/additional/sizes-match-but-proof-is-not-empty-and-sizes-are-zero.json","size1":0,"size2":0,"root1":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","root2":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","proof":["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],"wantErr":true}
{"file":"inclusion/0/empty-root.json","leafIdx":0,"treeSize":1,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/happy-path.json","leafIdx":0,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":false}
{"file":"inclusion/0/leafIdx-XOR-@2.json","leafIdx":2,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/leafIdx-plus-@1.json","leafIdx":1,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/leafIdx-sub-@1.json","leafIdx":18446744073709551615,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/preceding-garbage.json","leafIdx":0,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":[""],"wantErr":true}
{"file":"inclusion/0/preceding-root.json","leafIdx":0,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="],"wantErr":true}
{"file":"inclusion/0/random-root.json","leafIdx":0,"treeSize":1,"root":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/trailing-garbage.json","leafIdx":0,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":[""],"wantErr":true}
{"file":"inclusion/0/trailing-root.json","leafIdx":0,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="],"wantErr":true}
{"file":"inclusion/0/treeSize-div-@2.json","leafIdx":0,"treeSize":0,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/treeSize-mul-@2.json","leafIdx":0,"treeSize":2,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":null,"wantErr":true}
{"file":"inclusion/0/wrong-leaf.json","leafIdx":0,"treeSize":1,"root":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","leafHash":"V3JvbmdMZWFm","proof":null,"wantErr":true}
{"file":"inclusion/1/empty-root.json","leafIdx":0,"treeSize":8,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/happy-path.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":false}
{"file":"inclusion/1/inserted-component.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/leafIdx-XOR-@2.json","leafIdx":2,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/leafIdx-plus-@1.json","leafIdx":1,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/leafIdx-sub-@1.json","leafIdx":18446744073709551615,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/modified-proof[0]-bit-@3.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["nqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/modified-proof[1]-bit-@3.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Vwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/modified-proof[2]-bit-@3.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","Y0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/preceding-garbage.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["","lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/preceding-root.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/random-root.json","leafIdx":0,"treeSize":8,"root":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/removed-component.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="],"wantErr":true}
{"file":"inclusion/1/trailing-garbage.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",""],"wantErr":true}
{"file":"inclusion/1/trailing-root.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=","XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="],"wantErr":true}
{"file":"inclusion/1/treeSize-div-@2.json","leafIdx":0,"treeSize":4,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/treeSize-mul-@2.json","leafIdx":0,"treeSize":16,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/1/wrong-leaf.json","leafIdx":0,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"V3JvbmdMZWFm","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="],"wantErr":true}
{"file":"inclusion/2/empty-root.json","leafIdx":5,"treeSize":8,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/happy-path.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":false}
{"file":"inclusion/2/inserted-component.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/leafIdx-XOR-@2.json","leafIdx":7,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/leafIdx-plus-@1.json","leafIdx":6,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/leafIdx-sub-@1.json","leafIdx":4,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/modified-proof[0]-bit-@3.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["tBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/modified-proof[1]-bit-@3.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","woVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/modified-proof[2]-bit-@3.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","237kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/preceding-garbage.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/preceding-root.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/random-root.json","leafIdx":5,"treeSize":8,"root":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/removed-component.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA="],"wantErr":true}
{"file":"inclusion/2/trailing-garbage.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",""],"wantErr":true}
{"file":"inclusion/2/trailing-root.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=","XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="],"wantErr":true}
{"file":"inclusion/2/treeSize-div-@2.json","leafIdx":5,"treeSize":4,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/treeSize-mul-@2.json","leafIdx":5,"treeSize":16,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/2/wrong-leaf.json","leafIdx":5,"treeSize":8,"root":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","leafHash":"V3JvbmdMZWFm","proof":["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"wantErr":true}
{"file":"inclusion/3/empty-root.json","leafIdx":2,"treeSize":3,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/happy-path.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":false}
{"file":"inclusion/3/leafIdx-XOR-@2.json","leafIdx":0,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/leafIdx-plus-@1.json","leafIdx":3,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/leafIdx-sub-@1.json","leafIdx":1,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/modified-proof[0]-bit-@3.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["8sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/preceding-garbage.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["","+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/preceding-root.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/random-root.json","leafIdx":2,"treeSize":3,"root":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/removed-component.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":[],"wantErr":true}
{"file":"inclusion/3/trailing-garbage.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=",""],"wantErr":true}
{"file":"inclusion/3/trailing-root.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=","rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc="],"wantErr":true}
{"file":"inclusion/3/treeSize-div-@2.json","leafIdx":2,"treeSize":1,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/treeSize-mul-@2.json","leafIdx":2,"treeSize":6,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/3/wrong-leaf.json","leafIdx":2,"treeSize":3,"root":"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=","leafHash":"V3JvbmdMZWFm","proof":["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="],"wantErr":true}
{"file":"inclusion/4/empty-root.json","leafIdx":1,"treeSize":5,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/happy-path.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":false}
{"file":"inclusion/4/inserted-component.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/leafIdx-XOR-@2.json","leafIdx":3,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/leafIdx-plus-@1.json","leafIdx":2,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/leafIdx-sub-@1.json","leafIdx":0,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/modified-proof[0]-bit-@3.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["ZjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/modified-proof[1]-bit-@3.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Vwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/modified-proof[2]-bit-@3.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","tBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/preceding-garbage.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["","bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/preceding-root.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/random-root.json","leafIdx":1,"treeSize":5,"root":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/removed-component.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="],"wantErr":true}
{"file":"inclusion/4/trailing-garbage.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",""],"wantErr":true}
{"file":"inclusion/4/trailing-root.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=","Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ="],"wantErr":true}
{"file":"inclusion/4/treeSize-div-@2.json","leafIdx":1,"treeSize":2,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/treeSize-mul-@2.json","leafIdx":1,"treeSize":10,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/4/wrong-leaf.json","leafIdx":1,"treeSize":5,"root":"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=","leafHash":"V3JvbmdMZWFm","proof":["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=","vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],"wantErr":true}
{"file":"inclusion/additional/0/empty-root-and-random-leaf.json","leafIdx":0,"treeSize":0,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/0/empty-root.json","leafIdx":0,"treeSize":0,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"","proof":[],"wantErr":true}
{"file":"inclusion/additional/0/random-leaf.json","leafIdx":0,"treeSize":0,"root":"","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/1/empty-root-and-random-leaf.json","leafIdx":0,"treeSize":1,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/1/empty-root.json","leafIdx":0,"treeSize":1,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"","proof":[],"wantErr":true}
{"file":"inclusion/additional/1/random-leaf.json","leafIdx":0,"treeSize":1,"root":"","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/2/empty-root-and-random-leaf.json","leafIdx":1,"treeSize":0,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/2/empty-root.json","leafIdx":1,"treeSize":0,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"","proof":[],"wantErr":true}
{"file":"inclusion/additional/2/random-leaf.json","leafIdx":1,"treeSize":0,"root":"","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/3/empty-root-and-random-leaf.json","leafIdx":2,"treeSize":1,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/additional/3/empty-root.json","leafIdx":2,"treeSize":1,"root":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","leafHash":"","proof":[],"wantErr":true}
{"file":"inclusion/additional/3/random-leaf.json","leafIdx":2,"treeSize":1,"root":"","leafHash":"q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=","proof":[],"wantErr":true}
{"file":"inclusion/single-entry/empty-leaf.json","leafIdx":0,"treeSize":1,"root":"DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=","leafHash":"","proof":[],"wantErr":true}
{"file":"inclusion/single-entry/empty-root-and-leaf.json","leafIdx":0,"treeSize":1,"root":"","leafHash":"","proof":[],"wantErr":true}
{"file":"inclusion/single-entry/empty-root.json","leafIdx":0,"treeSize":1,"root":"","leafHash":"DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=","proof":[],"wantErr":true}
{"file":"inclusion/single-entry/matching-root-and-leaf.json","leafIdx":0,"treeSize":1,"root":"DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=","leafHash":"DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=","proof":[],"wantErr":false}
"#;

/// The leaf inputs of transparency-dev/merkle `testonly/constants.go` (`LeafInputs`).
const LEAF_INPUTS: [&[u8]; 8] = [
    b"",
    &[0x00],
    &[0x10],
    &[0x20, 0x21],
    &[0x30, 0x31],
    &[0x40, 0x41, 0x42, 0x43],
    &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
    &[
        0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
        0x6f,
    ],
];

/// `RootHashes` of `testonly/constants.go`: the root of the first n leaves, n = 0..=8.
const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// The probe whose (equal) roots are 12 bytes of placeholder text, not hashes.
const UNREPRESENTABLE: &str = "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json";

fn hex(text: &str) -> Hash {
    text.parse().unwrap()
}

/// A base64 hash of a vector; `None` when it is not 32 bytes (such probes must fail).
fn b64(value: &serde_json::Value) -> Option<Hash> {
    let bytes = BASE64.decode(value.as_str()?).ok()?;
    Hash::from_slice(&bytes, "vector hash").ok()
}

fn path(value: &serde_json::Value) -> Option<Vec<Hash>> {
    match value {
        serde_json::Value::Null => Some(Vec::new()),
        serde_json::Value::Array(items) => items.iter().map(b64).collect(),
        _ => None,
    }
}

#[test]
fn published_vectors_verify_exactly_when_they_should() {
    let (mut checked, mut accepted) = (0, 0);
    for line in VECTORS.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = v["file"].as_str().unwrap();
        let want_ok = !v["wantErr"].as_bool().unwrap();
        let got_ok = if file.starts_with("inclusion/") {
            match (b64(&v["leafHash"]), b64(&v["root"]), path(&v["proof"])) {
                (Some(leaf), Some(root), Some(proof)) => verify_inclusion(
                    v["leafIdx"].as_u64().unwrap(),
                    v["treeSize"].as_u64().unwrap(),
                    &leaf,
                    &proof,
                    &root,
                )
                .is_ok(),
                _ => false,
            }
        } else {
            match (b64(&v["root1"]), b64(&v["root2"]), path(&v["proof"])) {
                (Some(root1), Some(root2), Some(proof)) => verify_consistency(
                    v["size1"].as_u64().unwrap(),
                    v["size2"].as_u64().unwrap(),
                    &proof,
                    &root1,
                    &root2,
                )
                .is_ok(),
                _ => false,
            }
        };
        // Go's verifier compares roots as byte strings of any length; ours takes 32-byte
        // hashes, so the one happy probe with 12-byte placeholder roots cannot be expressed.
        let want_ok = want_ok && file != UNREPRESENTABLE;
        assert_eq!(got_ok, want_ok, "{file}");
        checked += 1;
        accepted += usize::from(got_ok);
    }
    assert_eq!((checked, accepted), (196, 11));
}

fn test_tree() -> Vec<Hash> {
    LEAF_INPUTS.iter().map(|data| leaf_hash(data)).collect()
}

#[test]
fn roots_and_proofs_of_the_reference_tree() {
    let mut tree = MerkleTree::new(test_tree());
    for (size, root) in ROOTS.iter().enumerate() {
        assert_eq!(tree.root(size as u64).unwrap(), hex(root), "size {size}");
    }
    // The inclusion proofs of transparency-dev/merkle cmd/proofgen (leaf index 1-based
    // there, 0-based here).
    let inclusion: [(u64, u64, &[&str]); 5] = [
        (0, 1, &[]),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    for (index, size, expected) in inclusion {
        let proof = tree.inclusion_proof(index, size).unwrap();
        let expected: Vec<Hash> = expected.iter().map(|h| hex(h)).collect();
        assert_eq!(proof.path, expected, "inclusion {index} of {size}");
        assert_eq!(proof.root, hex(ROOTS[size as usize]));
        assert_eq!(proof.leaf_hash, leaf_hash(LEAF_INPUTS[index as usize]));
        proof.verify().unwrap();
    }
    // Its consistency proofs.
    let consistency: [(u64, u64, &[&str]); 5] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            7,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];
    for (old, new, expected) in consistency {
        let proof = tree.consistency_proof(old, new).unwrap();
        let expected: Vec<Hash> = expected.iter().map(|h| hex(h)).collect();
        assert_eq!(proof.path, expected, "consistency {old} to {new}");
        assert_eq!(
            (proof.old_root, proof.root),
            (hex(ROOTS[old as usize]), hex(ROOTS[new as usize]))
        );
        proof.verify().unwrap();
    }
}

/// RFC 9162 section 2.1.1 MTH, written from the definition.
fn reference_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Hash::EMPTY_TREE,
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}

fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// RFC 9162 section 2.1.3.1 PATH(m, D[n]).
fn reference_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    if leaves.len() <= 1 {
        return Vec::new();
    }
    let k = split(leaves.len());
    if m < k {
        let mut path = reference_path(m, &leaves[..k]);
        path.push(reference_root(&leaves[k..]));
        path
    } else {
        let mut path = reference_path(m - k, &leaves[k..]);
        path.push(reference_root(&leaves[..k]));
        path
    }
}

/// RFC 9162 section 2.1.4.1 SUBPROOF(m, D[n], b).
fn reference_subproof(m: usize, leaves: &[Hash], whole: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if whole {
            Vec::new()
        } else {
            vec![reference_root(leaves)]
        };
    }
    let k = split(n);
    if m <= k {
        let mut proof = reference_subproof(m, &leaves[..k], whole);
        proof.push(reference_root(&leaves[k..]));
        proof
    } else {
        let mut proof = reference_subproof(m - k, &leaves[k..], false);
        proof.push(reference_root(&leaves[..k]));
        proof
    }
}

fn leaves(n: u32) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect()
}

#[test]
fn every_proof_of_small_trees_matches_the_reference_and_verifies() {
    let all = leaves(40);
    let mut tree = MerkleTree::new(all.clone());
    for n in 1..=40usize {
        let root = reference_root(&all[..n]);
        assert_eq!(tree.root(n as u64).unwrap(), root);
        for m in 0..n {
            let proof = tree.inclusion_proof(m as u64, n as u64).unwrap();
            assert_eq!(
                proof.path,
                reference_path(m, &all[..n]),
                "inclusion {m} of {n}"
            );
            verify_inclusion(m as u64, n as u64, &all[m], &proof.path, &root).unwrap();
            // Another leaf, index or size does not verify.
            let other = (m + 1) % n;
            if other != m {
                assert!(
                    verify_inclusion(m as u64, n as u64, &all[other], &proof.path, &root).is_err()
                );
            }
            let old = m + 1;
            let proof = tree.consistency_proof(old as u64, n as u64).unwrap();
            assert_eq!(
                proof.path,
                reference_subproof(old, &all[..n], true),
                "consistency {old} to {n}"
            );
            verify_consistency(
                old as u64,
                n as u64,
                &proof.path,
                &reference_root(&all[..old]),
                &root,
            )
            .unwrap();
            if old < n {
                let wrong_old_root = reference_root(&all[1..=old]);
                assert!(
                    verify_consistency(old as u64, n as u64, &proof.path, &wrong_old_root, &root)
                        .is_err()
                );
            }
        }
    }
}

#[test]
fn cached_tiles_give_the_same_proofs_as_the_reference() {
    // Sizes around tile boundaries (256 leaves), indices in first, middle and last tiles.
    let all = leaves(1300);
    let mut tree = MerkleTree::new(all.clone());
    for n in [
        255usize, 256, 257, 511, 512, 513, 768, 1023, 1024, 1025, 1300,
    ] {
        let root = reference_root(&all[..n]);
        for m in [0, 1, 200, 255, 256, 300, 700, 1000, 1024, 1299] {
            if m >= n {
                continue;
            }
            let proof = tree.inclusion_proof(m as u64, n as u64).unwrap();
            assert_eq!(
                proof.path,
                reference_path(m, &all[..n]),
                "inclusion {m} of {n}"
            );
            assert_eq!(proof.root, root);
            let old = m + 1;
            let proof = tree.consistency_proof(old as u64, n as u64).unwrap();
            assert_eq!(
                proof.path,
                reference_subproof(old, &all[..n], true),
                "consistency {old} to {n}"
            );
        }
    }
    // The cache is filled and kept; a batched source with it reads few leaves per proof.
    let (_, cache) = tree.into_parts();
    assert_eq!(cache.cached_leaves(), 1280);
    let reads = std::cell::Cell::new(0u64);
    let fetch = |start: u64, end: u64| {
        reads.set(reads.get() + (end - start));
        Ok(all[start as usize..end as usize].to_vec())
    };
    let mut batched = MerkleTree::with_cache(BatchedSource::new(1300, 64, fetch), cache);
    let proof = batched.inclusion_proof(700, 1300).unwrap();
    assert_eq!(proof.path, reference_path(700, &all));
    // The other 255 leaves of the leaf's tile, the incomplete last tile twice (path and
    // root: 2 x 20 leaves) and the leaf itself.
    assert_eq!(reads.get(), 255 + 40 + 1);
    // Without a cache (limit 0) the same proof reads every leaf.
    let mut uncached = MerkleTree::with_cache(all.clone(), SubtreeCache::with_max_tiles(0));
    assert_eq!(uncached.inclusion_proof(700, 1300).unwrap(), proof);
}

#[test]
fn sizes_outside_the_log_are_clear_errors() {
    let mut tree = MerkleTree::new(leaves(10));
    let err = tree.consistency_proof(0, 5).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.message().contains("old size of at least 1"), "{err}");
    let err = tree.consistency_proof(3, 11).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert_eq!(
        err.message(),
        "tree size 11 is beyond the log, which has 10 records"
    );
    let err = tree.consistency_proof(6, 5).unwrap_err();
    assert!(err.message().contains("larger than the tree size"), "{err}");
    let err = tree.inclusion_proof(10, 10).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(tree.inclusion_proof(0, 11).is_err());
    assert!(tree.root(11).is_err());
    let same = tree.consistency_proof(7, 7).unwrap();
    assert!(same.path.is_empty());
    assert_eq!(same.old_root, same.root);
    same.verify().unwrap();
    assert_eq!(
        verify_consistency(0, 1, &[], &Hash::EMPTY_TREE, &Hash::EMPTY_TREE)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidQuery
    );
}

#[test]
fn proof_json_has_the_documented_shape() {
    let mut tree = MerkleTree::new(test_tree());
    let json = serde_json::to_value(tree.inclusion_proof(5, 8).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "leaf_index": 5,
            "tree_size": 8,
            "leaf_hash": "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "path": [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"
            ],
            "root": ROOTS[8]
        })
    );
    let json = serde_json::to_value(tree.consistency_proof(2, 5).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "old_size": 2,
            "tree_size": 5,
            "path": [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
            ],
            "old_root": ROOTS[2],
            "root": ROOTS[5]
        })
    );
}

fn theirs(hash: &Hash) -> tlog_tiles::Hash {
    tlog_tiles::Hash(*hash.as_bytes())
}

#[test]
fn an_independent_implementation_accepts_our_proofs() {
    // tlog_tiles' check_record / check_tree are Cloudflare's port of Go's sumdb/tlog.
    let all = leaves(3000);
    let mut tree = MerkleTree::new(all.clone());
    for (index, size) in [
        (0u64, 1u64),
        (5, 8),
        (1234, 3000),
        (2999, 3000),
        (2047, 2048),
    ] {
        let proof = tree.inclusion_proof(index, size).unwrap();
        let path: Vec<_> = proof.path.iter().map(theirs).collect();
        tlog_tiles::check_record(
            &path,
            size,
            theirs(&proof.root),
            index,
            theirs(&proof.leaf_hash),
        )
        .unwrap();
        assert!(
            tlog_tiles::check_record(&path, size, theirs(&proof.root), index, theirs(&all[0]))
                .is_err()
                || index == 0
        );
    }
    for (old, size) in [
        (1u64, 8u64),
        (6, 8),
        (1000, 3000),
        (2048, 3000),
        (2999, 3000),
    ] {
        let proof = tree.consistency_proof(old, size).unwrap();
        let path: Vec<_> = proof.path.iter().map(theirs).collect();
        tlog_tiles::check_tree(
            &path,
            size,
            theirs(&proof.root),
            old,
            theirs(&proof.old_root),
        )
        .unwrap();
        let forged = theirs(&reference_root(&all[1..=old as usize]));
        assert!(tlog_tiles::check_tree(&path, size, theirs(&proof.root), old, forged).is_err());
    }
}
