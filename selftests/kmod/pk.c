// SPDX-License-Identifier: Apache-2.0
/*
 * The public-key operations: known-answer vectors (the kernel's own
 * crypto/testmgr.h vectors, from NIST CAVP, Wycheproof and RFC 5903, and
 * RFC 7748's X25519 vectors, all as data), randomised comparison with
 * OpenSSL's libcrypto (sign on the device and verify with OpenSSL and the
 * other way round, equal ECDH and X25519 secrets, RSA equal to OpenSSL's
 * raw RSA_NO_PADDING result), bad input for every field, the model's
 * public-key class (latency, statistics), a reset and a kill with
 * public-key requests in flight, and a long RSA-4096 on one engine not
 * delaying another context's short requests on the other.
 *
 * RSA-4096 under TCG takes a good fraction of a second: the tests use few
 * (the 4096-bit key is a fixed vector, never generated here).
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define DATA_BYTES	(256u << 10)
/* Where things go in the data area. */
#define KEY_OFF		0
#define AUX_OFF		16384
#define IN_OFF		20480
#define OUT_OFF		24576
#define SCRATCH_OFF	32768


/* Hex string to bytes; returns the length. */
/* X25519 (RFC 7748 5.2, first vector, and 6.1). */
static const char x25519_scalar[] =
	"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";
static const char x25519_u[] =
	"e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c";
static const char x25519_out[] =
	"c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552";
static const char x25519_alice_priv[] =
	"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char x25519_alice_pub[] =
	"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
static const char x25519_bob_priv[] =
	"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
static const char x25519_bob_pub[] =
	"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
static const char x25519_shared[] =
	"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

/* RSA (crypto/testmgr.h rsa_tv_template: 2048- and 4096-bit keys). */
static const struct pk_rsa_kat {
	const char *key, *m, *c;
} rsa_kats[] = {
	{
	.key =
	"308204a30201000282010100db101ac2a3f1dcff136bed44dff0026d13c788da"
	"706b54f1e827dcc30f996afac667ff1d1e3c1dc1b55f6cc0b2073a6d41e42599"
	"acfcd20f02d3d154061a5177bdb6bfeaa75c06a95d698445d7f505ba47f01bd7"
	"2b24eccb9b1b108d81a0beb18c33e436b843eb192a818dde810a9948b6f6bccd"
	"49343a8f2694e328821a7c8f599f45e85d1a4576045605a1d01b8c776daf53fa"
	"71e267e09afe03a985d2c9aaba2abcf4a008f51398135df0d933342a61c38955"
	"f0ae1a9c22ee19058d32feec9c84bab7f96c3a4f07fc45eb12e57bfd55e62969"
	"d1c2e8b97859f67910c64eeb6a5eb99ac7c45b63daa33f5e927a815ed6b0e262"
	"8f7426c20cd39a1747e68eab0203010001028201005241f4da7bb75955cad42f"
	"0f3acba40d936ccc9dc1b2fbfdae4031ac69522192b327dfeaee2c82bbf74032"
	"d514c49412ecb81fca59e3c178f385d847a5d7021a6579970d24f4f0676e752d"
	"bf103da87def7f60e4e60582895ddfc6d26c0791339842f002002538c585698a"
	"7d2f956c439ab881e2d00735aa0541c91eafe4043b19b873a2ac4b1e6648d872"
	"1facf6cbbc9009caec0cdcf92cd7ebaea3a447d7332f8acabc5ef077e4979897"
	"c710917d2aa6ff468397dee9e217030614e2d7b11d77af51275b5e69b881e611"
	"c54323810462ffe946b8d844dba5cc315434ce3e82d6bf7a0b64216d887e5b45"
	"121e638d49a71dd91e06cde8ba2c8c6932eabe607102818100faace1375e3211"
	"34c672582d91063e77e71121cd4af8a43f0fef31e3f355a0b9acb6cbbb41d032"
	"819a8f7a9930776c6827e296b572c9c3d442aaaaca958fffc99b5234301dcffe"
	"cf3c56686eefe76cd7fb99f54aa5211f2bea93e89826c46e42215ea0a12a5835"
	"bb10e7ba270a3bb3afe2753604ac56a0ab52decedd2c28770302818100dfb752"
	"b6d7c0e296e7c9fe5d715ac440962fe587eaf3a57711673c8d5608a7b567fa37"
	"a8b8cf61e863d83806212b9209a6393aeaa8b4454b36104ce400667165f80b94"
	"594f8cfdd534a2e762840aa7bbdbd98acd05e1cc577bf1f11f119dba3e451899"
	"1b416443ee975d77135b74697387950507be4507177e4a6922f3db0539028180"
	"5ed8dcda5344c467e0925134e483a54d3edba79b82bb7381fce8774b15be1773"
	"499b5c98bcbd26ef0ce92eed197e86411e9e4881dd2de46fc2cdca939e657ed5"
	"ec73fd151ba2a07a0f0d6eb453079092643b8ba933b3c5949b4c5d9c7c46a4a5"
	"56f4f3f8270a7b420d927047e74251a9c218b158b15091b86141b6a9ced47cbb"
	"02818054091f0f03d8b6c50ce8b99e0c389643d4a6c547db200ee5bd29d47b1a"
	"f8415749699a82cc794a43eb4d8b2df243d5a5be44fd36ac8c9b02f79a03e819"
	"a661ae761093774104ab4ced6acc141b998d0c6a373b866c51375b1d79f2a343"
	"10c6a721796df9e9046ae832ffaefd1c7b8c2913a30cb2adec6c0f8d27127b48"
	"b2db31028181008d1b05ca241f0c531952746321fa784679af5cde30a46c2038"
	"e69739b87a700d8b6c6d1374d51cdea9f46037fe68775e0b4e5e033130dfd6ae"
	"85d081bb61c7b1045ac46d561cd964e7857f8891c9602805e2c6248fdd6164d8"
	"09de7ed34a611ad373584bd8a0542548836f826caf36512a5d142f412500ddf8"
	"f395fe31255012",
	.m = "54859b342c49ea2a",
	.c =
	"b29776b4ae3e383c7e641fcca27ff6becf49bc48d36c8f0a0ec173bd7b557936"
	"0ea18788b92c90a6535ee9efc4e24dddf7a669823f56a47bfb62e0aeb8d304b3"
	"ac5a152ae3199b039a0b41da64ec0a69fcf21092f3c1bf847ffd2caec8b5f641"
	"70c547038af8ff6f3fd26f09b422f330bea985cb9c8df98feb3291a225848ff5"
	"dcc7069c2de5112c09098709a9f6337390f160f265dd30a566ce627bd0f82d3d"
	"198277e30a5f752f8eb1e5e891351b3b33b76692d1f28e6fe5750cad36fb4ed0"
	"6661bd49fef41aa22b49fe034c74478d9a66b249464d77ea334d6b3cb4494ac6"
	"7d3db5b9564115670f943c936527e0215d59c362d5a6da3826225e341c94af98",
	},
	{
	.key =
	"308209290201000282020100c38b557b734dffe99bc6dc673cb48ea086edf2b9"
	"505c545cbae4a1b2a7ae2f1b7df1fbac79c5df1a00c9b2c1612533e69ce9cfd6"
	"27c44e4430445e08a18752cc6b97708cbca506310cd42fd57d2624a2e2ac78f4"
	"5314cef7192ed7f7e60cb9567f0bf1b1e24370bd861da1cc2b190876ef91acbf"
	"20240d38c089b89a70b364d98f8041105b9fb1cb764300212536d419fc559510"
	"e42674982cd9bd0b2b04c2ac8238b4dd4c047e5136401e0bc47c25dd4bb2e720"
	"0a57f9b494c30833226f8b48db03685a5bbaaef3adcfc36dbaf128677e6c7907"
	"defcede796e36ce02c87f80201283843215384697578157eeed21bb92340a886"
	"1e3883b2731d53fb9e2a8ab2753501c3c3c494e884866481f442aa3c0ed64fbc"
	"0a092de71bd410a854ea89848acbf75a3cca76082962b46a22df149571fdb686"
	"39b88bf8917f38aa14cde5f51dc26d536952847fa31a5e26048306735256cf76"
	"26c9dd75d7fcf469d87b55b7681353b9e789c3e8d66ea76dea81fdc4b7055ab7"
	"410a238e038a1caed31ecee35efc194aee619b8ee5e5dd85f941ec145392f7dd"
	"06850291e3eb6c4303b1367b895aa8ebfcd5a835dc81d95cbdcadc9b980b065d"
	"0c5beef3d5cc57c9712f903b3cf08e4e3548ae6374a9fc72758e34a8f21feadf"
	"3a372de53939f857583c04fe870698bc7bd32136602554a73dfa91cca80b928e"
	"b4f706ff1e95cb0776973b9d02030100010282020074a9e06a32b4ca85d9869f"
	"60887b40cccd3391a8b6251fbfe3511c97b62ad9b8114019e32113c8b37edcd7"
	"65404c2dd6dcaf326c96752c2cca8f3f7aeec409c6243ac9cf6d8d17509452d3"
	"e70f2f7e941fa0bed925e838427c27d279f82a8738efbb748ba86e8c08c6c74f"
	"0cbc79c6ef0ea75ee4f88c09c75e37cc8777cdcfd16d281ba962c0b816a78bf9"
	"bbccb4157f1b6903f27bebe58c14d6234f526f18a64b5b01ad35f94853b38635"
	"66d7e729c009b5c6e6fac4da19bed74d4114be6fdf1babc0ca8807acf17d3583"
	"67282d50e9ce27715e1ccfd2306579722f9ce1d2397fef3b01f2141ddfbd51d3"
	"a15362cf5f7984ce0696692949821c714aa166c82ffd7b967bfcc42658c4fc7c"
	"afb5e8958387cb46de97a7b3a2545bd7afabebc8f3559d482b309cdc264bc289"
	"4513b2019aa465c3ec242d2697eb808a9d03bc59669ee2bbbb63196493117b25"
	"6530cd5b4b2cffdc2d30871f3c8807d0fc48cc058aa2c8393ed551bc0abe6da8"
	"a0f688067913ff1b45da54c924258a750a26d169811414d1797d8e76f2e0ebdd"
	"0fdec2ec80d7dc169992becb400cce7c3b46a25b5d0c45ebe100de7250b1a60b"
	"76c58dfc82386d99141d1a4ad37c53b81246a2303882f4966e8cce470daf0a3b"
	"45b74395439e022c44076d1f3c668909b61f0630ccadce7d9ade3efb6ce45843"
	"d24fa59e5ea77bae3af67ed9dbd3f5c541afe69c910282010100e0a66cf0a2f8"
	"81853643d0130b338b8f783dacc75e466a7f05ae3e260aa6d051f3c861f57722"
	"4810874cd5a4d5ae2d4e7afe1c31e76bffa46920f92a0b99be7c3268adb0c694"
	"814175dc06780ab4cfcd1b2d31e47beaa835997557c60ef6784fa0924a001be7"
	"96f25bfd2c0a0a1381afcb598731d98365f22248d0036739f6ffa836073a68e3"
	"7ba964fd9cf7b13dbf265ccc7afca28f51d1e1e23cec06757c34f9a9337011ad"
	"5adc5fcf50f6232f39ac9248534d01963cd8dc1f23237880345414768bb6bbfb"
	"8878315928d2b1751788044a7862182ef5fb9bef15d81647c642b102da9ee384"
	"90b42dc3ce13c9127d3ecd3939c9ada11ae6d5ad5a094d1b0cab0282010100de"
	"d51bf6cd83b1c6477eb9c06ba9b802f3ae405dfcd3e54ef1e339045284894037"
	"bbc2cd7f717717df6a4c31247fb97e7fc8434a3ceb8d1b7f215167458fa03629"
	"3a1845a532ec74883c985d673bd7511fe9ae0901dede7cfb60d1a56ce96a9304"
	"023abb6702b9fd23f0022b4985c95be74bdfa3f4ee594c45ef8bc16bdedebc1a"
	"fcd2763f3374a98ea37e0cc6ce70a15ba677ea76eb18ceb9d7788dae06bbd31f"
	"160d05ab4fc652c86b36517d1d27af889a6fcc252e740672ce9edbe09d30ef55"
	"a55821a742122c2c2387c10fe851da53dafc0536df080e0836be5c869eca6890"
	"33120b1482ab901ad449329cbdaaab4e38f1eeed3d3fe8bd4856a664eec8d702"
	"82010100965e6f8f06d6e6031f96768138bf30cc4084afd0e706a5240ece59a5"
	"26fe0f74bb83c62602af3ca36b9cff680ceb404246cb2e5e2cf43a327777edaf"
	"ba0217e193f0434a8f3139ef720f6b79105984ba5a557f0edbeeeed6a9b8449f"
	"3ac6b9333b5c9011d09bcc8abf0e105b4bf1509e35b3e06d7a959c385dc07513"
	"c215a781eabaf74d9e859df17dbad0456f2ad076c228d0ada7b5dce36a99ff83"
	"50b375071491afef74b59f9ae0baa90b87f3855c40b20ea7fdc6ed458ed97cb0"
	"b268c61dfd707806417f9512369de2585d15ee4149f5faec5619a0e6e0b240e1"
	"d9d0032202cfd13c0738658f650eaa32ce2505167351b99f880bcd30f397cc2b"
	"6ba40e6f028201002a5f3fb808905847a9e4b111a3e75bf443be08c356863c7e"
	"6c84969cf9cbf6055e13b8113780adf2be2b0a5df5e0cbb700396682415f512f"
	"bf56e891c8aa6cfe9f8c4a7d43d2911fff9ff6211cb6465548ca38abc1cd4d65"
	"5aafa86dda6df0341079140dfaa28c1754b418d57e5f90508784e7fbd761535d"
	"ab96c76e7a42a0fc07edb75f80d919fffbfd9ec47331623d6c9e150362a585cc"
	"198e9d7fe36da85d96f5ac783d8127e729f1291d09bb77866b656288e1311a22"
	"f7c5ce73651cbee763d3d3146327af28f323b676c1bd9d82f49b197d2c57f0c2"
	"2a51ae950d8c3854f5c6a051b70eb9ece70d22f61ad3fe162103b70d85d335c9"
	"dde45985be7fa1750282010100b948d2542f195464ae6280618980b4480b8d7e"
	"1b0f5008823fed7584b713e4f88da8bb54214c5a5407164bb4a49e30bf7a301b"
	"3960a32153fbb0dc0f7c2cfbaa957d513928331f253153f5d2642bf21eb3c06a"
	"0bc9a442645cfb15a3e84c3a9c3cbea3398323e36d18ccc2dc638dba98e0e031"
	"4a2b379c4d6bf39f51e4435c835fbf5cfe924501aff5c2f4b75693a5f4aa673c"
	"4837bd9a3cfea59ab0d16b85dd81d4faad3183a8229bfdb461dc7a515962101b"
	"7e44a3fe90515a3e0287adfadd0b1f3d35afee138551a742c0ee9e20e9d029b2"
	"e421e46d62b9f4484ad8468e61a62c5ddf8f972b3a751d83176fc6b0defc1425"
	"065a60bbb82189d1ef57f1713d",
	.m = "54859b342c49ea2a",
	.c =
	"5cce9cd79a9ea1fe7a823c682798e35dd5d70729f5fbc31a7f631e62313b1987"
	"794fec7bf3cbea9b95523a40e5877b72d172c9fb5463d8c9d72cfc7bc3141ebc"
	"18b434a1bf14b137316ef01b35195407f799ec3e63e2cd612865c3cdb13836a5"
	"b2d7b0dc1ff5ef19c753322d1c26dae40dd6907e28d8dce46105d2259001d396"
	"6da6cf5820bb03f401bc79b918d8b8babd93fcf2625d8c661e0e845993dde293"
	"a2627d08827addfcb8bcc54f9c4ebfb4fcf4c501e800704d2826cc2efe0e5841"
	"8becaf7c4b54d0a064f932f42e47650a6788393adbb2db7bb5f617a8d9c65e28"
	"13828a99db6008a52337fa889031c89d8fecfb859fb1cea62450464447cb65d1"
	"dfc0b16c901f998e4dd59e31076687df01aa563c71e02b6f673b23edc2bd0330"
	"797602101098858afffd0bdaa5d9324802a00bb92a8a18cac68f3fbb16b2aa98"
	"27e36043ed1570d45715fe19d49b13788af721f1a2a22db309cf44916e083a30"
	"813e90938a67330059549a25d3498e9fc14be586f3504cbcc5d3f53a54e1363f"
	"e25ab437c0eb7035ecf6b7e8443b7bf3f1f21edb607dd5bef07134904ccbd435"
	"51c7ddd8c981f55d57462cb17b9baacbd122254944a3d46b297bd8b20793bf3d"
	"52498479efb8e5c4adcaa8c6f6a676705b0be583c60eef55f2e7ff04eae613be"
	"40e1404548667531ae356491116fdaee2686456f0bd59f03b1655bdba4e4f945",
	},
};

/*
 * ECDSA signatures that verify (crypto/testmgr.h, from Wycheproof and
 * NIST): public point 04 || X || Y, digest, DER signature.
 */
static const struct pk_ecdsa_kat {
	int curve;
	const char *key, *m, *sig;
} ecdsa_kats[] = {
	{
	.curve = AOFF_EC_P256,
	.key =
	"042927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c7328"
	"38c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e734151"
	"3e",
	.m =
	"70239dd877f7c944c422f44dea4ed1a52f2627416faf2f072fa50c772ed6f807",
	.sig =
	"3044022064a1aab5000d0e804f3e2fc02bdee9be8ff312334e2ba16d11547c97"
	"711c898e02206af015971cc30be6d1a206d4e013e0997772a2f91d73286ffd68"
	"3b9bb2cf4f1b",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"04c6a771527024227792170a6f8eee735bf32b7f98af669ead299802e32d7c31"
	"07bc3b4b5e65ab887bbd343572b3e5619261fe3a073e2ffd78412f726867db58"
	"9e",
	.m =
	"bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023",
	.sig =
	"304502207cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc"
	"47669978022100b6db6db6249249254924924924924924625bd7a09bec4ca81b"
	"cdd9f8fd6b63cc",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2"
	"964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51"
	"f5",
	.m =
	"359d1729b91a52e98bb595c386283c103044951aa10820f0a022c418c271a0cc",
	.sig =
	"304402207cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc"
	"4766997802205947c921230ed1340b03e6e3456eab69f866ff7e8c7d1e132317"
	"068a84ec1d22",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2"
	"96b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae"
	"0a",
	.m =
	"359d1729b91a52e98bb595c386283c103044951aa10820f0a022c418c271a0cc",
	.sig =
	"304502207cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc"
	"47669978022100dc554e07960b81b680b1aee040b990a5f4c49049bba2a16270"
	"c5885139e8a8fb",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"04b97bbbd71764d27efc815d8706834122d69aaa8717ec4f63552f94badd83e9"
	"344bf3e9911350b6cbca6208e73b09dcc3634b2db97353e445e67cade76bb0e8"
	"af",
	.m =
	"c22b5f9178342609428d6f51b2c5af4c0bde6a42",
	.sig =
	"3046022100f925ce9f3aa63581cfd4e7b7f0825641f7d4ad8d945a6989eeca6a"
	"520e484dcc022100d7e4ef5266d35b9d8afa549329a77086f10303f33be273f7"
	"fb9d8bded48d6fad",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"048b6dc0338e2d8b67f5ebc47fa0f5d97b03a5789ab5ea14e423d0afd70e2ea0"
	"c98bdb95f8b3afac002c2c1f7afd95884313bff31c051a1418093fd6283ec5a0"
	"d4",
	.m =
	"1a15bca3e4ed3ab82367c6c434f86c41040bdac577fa1c2de62c3be0",
	.sig =
	"304402202043fac09f9d7be7aece77591adb59d5346279cb6a91672e7d25d825"
	"f581d21e02205ff874f857d05e5476204a7722ecc866bf500558390e2692ced5"
	"2e8bde5a040e",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"04f1eac453f3b90e9f7eade3ead70e0fd6989aca924d0a80db2d45c7ec4b9700"
	"2fe9426c29dc550e0b53129b2bad2ce980e6c543c21d5ebb652150b637b0038e"
	"b8",
	.m =
	"8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
	.sig =
	"304502200831fa740d1d215d09dc2963a81aadfcac44c3e824112da491dc0267"
	"dc0cd082022100bdffceee42c397fff9a981ac4a50d0910a6e1bc4afe183c34f"
	"2a653523e31dfa",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"04c5c6ea60c9cead028df53e24e3521d28473bc36ba4993599118888c8f4ee7e"
	"8c338f410324462b1a82f99fe1971b00da3b2441f76633583d3a81adcf16e9e2"
	"7c",
	.m =
	"3e7870fbcd66ba91a179ff1e1c6b78e6c0813a6597148436141a9ab7c5ab8494"
	"5ebb1b3471cb41e1f6fc927b34bb86bb",
	.sig =
	"30460221008ef36fdcf869a62ed02e9554d195649308b26b249448465ef2e46c"
	"c794b1d5fe022100eba78026dcf93a4419fb5f92f4c9233769f43b4f47cf9b16"
	"c0601192dc178912",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"04d7274649f626851240768ee2e62a7a83b14e7aeb3b5c674ab5a4928c69ff38"
	"eed94e132959adde6bbb4531eefdd11b64d3b5fcaf9b4b883b0eb7d6dff1d592"
	"bf",
	.m =
	"57b79ee9050a8c1bc913e54a24c7e2e943c3d17662f4981a9c13b0201be539ca"
	"4fd9853495a231bcbbdedd76bb61e3cf9dc0497af37ac47da8044b8db44d5bd6",
	.sig =
	"3045022100b86d878143dffb9f40ea4481004e2908ed8c73306c22b39776f604"
	"9909374dfa02201eb97531f604a54df800ddabd4c02be65cadc3781cc2c11976"
	"31794ae9816aee",
	},
	{
	.curve = AOFF_EC_P384,
	.key =
	"048925f39788cbb078c5729a146e7ab15aa524f195069e28fbc4b9be5a0dd99f"
	"f3d14d2d0799bddaa766ecbbeaba7942c934896ae70bc3f2fe3230bebaf9df7e"
	"4b6a078e26663f1deca2579151dd170e0b25d6805c3be61a984891457a73b0c3"
	"f1",
	.m =
	"125528f077d5b621713248cd28a825223a69c193",
	.sig =
	"3066023100f50f244c07936f21575507204330dea08d268eae633fbc203ac6f1"
	"323cce702b78f14c26e65b86cfec7c7ed087d7d76e023100cdbb7e815d8f63c0"
	"5f63b1be5e4c0ea1df288c1bfaf9958874a00fbfafc336764aa159f11ca45826"
	"79122ab7c51592c5",
	},
	{
	.curve = AOFF_EC_P384,
	.key =
	"04696ccf62eed00de5b52f7054cf26a0d9988d922aab9b11cb4818a1a90dd518"
	"3ee8296ef6e4b58ec74ac25f37139905b6a49df9fb7941e7d7969f733b3943dc"
	"daf406b9a529019d3be1d868772af4506b93996c664c423f65606c1c0b939b9d"
	"e0",
	.m =
	"1280b6eb25e23df0213296173a3839fd1f05347bb8f97166034fd5e5",
	.sig =
	"30660231008a5184ce131ed2dceccbe48947b2f7bc97f1c87226cf5a5ec5dab4"
	"e39307e099c99c11b81001c5413fdd151b682b9d8b0231008b032cfc1fd1a9a4"
	"4b0008316cf5d5f6dfd868a2644265f34dd0c66eb0e9fc149f19d0428b93c211"
	"882b82265e1cdafb",
	},
	{
	.curve = AOFF_EC_P384,
	.key =
	"04eed6da3e94900027edf86455d6519a1f52006378f1a9fd754c9eb2201a915a"
	"ba7aa3e56cb625684be813a654872c0ed08395bcbfc5284f771c46a6f0bcd4a4"
	"8dc28fb3323740d6caf8ae073452395217c33429d640ea5cb93ffb322e1233bc"
	"ab",
	.m =
	"aae7fd0326cb9471e4ce0fc5ffa629a3e1cc4c354edeca80ab260c25e66811c2",
	.sig =
	"306402300809129d6e9664a68e3f7ece0a9baa59cc475387bcbd833faf063f84"
	"04e2f967b6c6fc702e663c77c88d2c793a8e32c402304034b890a980ab4726a2"
	"b089420adad9ddcebcb297f49cf31568c0753e235e364f8dde1e938d95bb100e"
	"f41f39ca4d43",
	},
	{
	.curve = AOFF_EC_P384,
	.key =
	"043a2f62e71acf24d00b7ce0ed460a4f741643e91a257c55fff02968662091f9"
	"db2bf6b36c5401cac76a5c0deb68d93cf101741ff96ce55b60e97f5db312802a"
	"d86792c90e4c4c6ba1b2a81eac1c97d92167e51b5a523168d6eef019b055ed89"
	"9e",
	.m =
	"8df2c0e9a8f38e44c48c1aa0b8d717dff2371bc6e3f562cc68f5d50bbf732bb1"
	"b04c040031abfec8d609c8f2ead328ff",
	.sig =
	"30660231009b2868c0a1ea8c50ee2e623546fa00d82d7a915f492d220829e6fb"
	"ca8cd6b6b43b1f078f1502fe1da2a4c8f2ea9d111f023100fc50f643bd50820e"
	"bfe3752449acfbc871cd8f1899f00f1344928c869965b397961704c90577f18e"
	"ab8d4edee66d9b66",
	},
	{
	.curve = AOFF_EC_P384,
	.key =
	"04b4e7c1eb64252246c3866180be1e46cbf605c2ee7383bcea30614d400541f4"
	"8ce30e5cf050f20719e84f25beee0c95543686ecc22075f389b511a1b7f5afbe"
	"81e4c33906bde4fe681c6d992b1b63fadf425cc25ac70cf415f71ba32ed700ac"
	"a3",
	.m =
	"e8b7527d1a442005536b3a68f2e76ca1ae9d84bbba52433e2c427849bf78b271"
	"ebe1e0e8427b11ad2b99051d36e6acfc5573f0156339b86a6ac5915bca6aa80e",
	.sig =
	"3063022f1d209477fe31fa4dc6efda02e70f529a02de93e883e4844cfc6f80e3"
	"afb3d9dc2b430e6ab3536f3eb3c7a8b31777d1023063f6f03d5f5f993fde3a3d"
	"16afb4526aec63e30cec50dcccc46a035f8d7af9fb34e48b80a5b6da2c4e45cf"
	"3c93ff505d",
	},
};

/*
 * ECDSA signatures that must NOT verify, although the computation meets
 * equal or opposite points (Q = G, Q = -G; crypto/testmgr.h).
 */
static const struct pk_ecdsa_kat ecdsa_forged[] = {
	{
	.curve = AOFF_EC_P256,
	.key =
	"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2"
	"964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51"
	"f5",
	.m =
	"b2c3097203179daa5c4ad8ff02fecb152153817745ec45243d6810b9f2a5883a",
	.sig =
	"304602210090ebadd0565d348e7418f2ffabaa43b19f68d40c4f014be310609e"
	"7efa5839d902210090ebadd0565d348e7418f2ffabaa43b19f68d40c4f014be3"
	"10609e7efa5839d9",
	},
	{
	.curve = AOFF_EC_P256,
	.key =
	"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2"
	"96b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae"
	"0a",
	.m =
	"b2c3097203179daa5c4ad8ff02fecb152153817745ec45243d6810b9f2a5883a",
	.sig =
	"304602210090ebadd0565d348e7418f2ffabaa43b19f68d40c4f014be310609e"
	"7efa5839d902210090ebadd0565d348e7418f2ffabaa43b19f68d40c4f014be3"
	"10609e7efa5839d9",
	},
};

/* ECDH (crypto/testmgr.h; P-256 from NIST, P-384 from RFC 5903). */
static const struct pk_ecdh_kat {
	int curve;
	const char *d, *pub, *peer, *ss;
} ecdh_kats[] = {
	{
	.curve = AOFF_EC_P256,
	.d =
	"24d121ebe5cf2d83f6621b6e43843aa38be086c32019da92505303e1c0eab882",
	.pub =
	"1a7feb5200bd3c317db670c186a6c7c43bc55f6c6f583cf5b66382773324a15f"
	"6aca436ff77eff023708cc405e7afd6a6a026e4187683877faa944432def09df",
	.peer =
	"ccb4da74b1473fea6c709e382dc7aab729b2470319abdd34bda82c93e1a474d9"
	"6463f770202fa4e69f4a38ccc02c492fb132bbaf2261dacb6fdba9aafc7781f3",
	.ss =
	"ea176f7e6e5726388bfb41ebbac86da5a872d1ffc9473daa58439f340f8cf3c9",
	},
	{
	.curve = AOFF_EC_P384,
	.d =
	"099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655"
	"e35b538041e649ee3faef896783ab194",
	.pub =
	"667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6"
	"de3ac808acb4bdb4c88732aee95f41aa9482ed1fc0eeb9cafc4984625ccfc23f"
	"65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c",
	.peer =
	"e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d"
	"0d1ac43a0336def96fda41d0774a3571dcfbec7aacf3196472169e838430367f"
	"66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c",
	.ss =
	"11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4"
	"d603135569b9e9d09cf5d4a270f59746",
	},
};

FIXTURE(pk) {
	struct aoff_ring r;
	long long params[AOFF_NPARAMS];
};

FIXTURE_SETUP(pk)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 64, 128, DATA_BYTES));
	aoff_params_save(self->params);
	AOFF_RND_SEED();
}

FIXTURE_TEARDOWN(pk)
{
	aoff_params_restore(self->params);
	aoff_ring_exit(&self->r);
}

static struct aoff_sqe pk_sqe(uint8_t op, uint32_t flags, uint32_t key_len,
			      uint32_t aux_len, uint32_t in_len,
			      uint32_t out_len)
{
	struct aoff_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = op;
	s.op_flags = flags;
	if (key_len) {
		s.pk.key_off = KEY_OFF;
		s.pk.key_len = key_len;
	}
	if (aux_len) {
		s.pk.aux_off = AUX_OFF;
		s.pk.aux_len = aux_len;
	}
	if (in_len) {
		s.in_off = IN_OFF;
		s.in_len = in_len;
	}
	if (out_len) {
		s.out_off = OUT_OFF;
		s.out_len = out_len;
	}
	return s;
}

/* One SQE, submitted and completed; returns the CQE's res. */
static uint8_t *D(struct aoff_ring *r, uint64_t off)
{
	return r->data + off;
}

static int cb_of(int curve)
{
	return curve == AOFF_EC_P256 ? AOFF_EC_P256_BYTES : AOFF_EC_P384_BYTES;
}

static int nid_of(int curve)
{
	return curve == AOFF_EC_P256 ? NID_X9_62_prime256v1 : NID_secp384r1;
}

/* ---- device operations, inputs already in the data area ---- */

static int dev_ec_keygen(struct aoff_ring *r, int curve, int given)
{
	struct aoff_sqe s = pk_sqe(AOFF_OP_ECDH_KEYGEN, curve,
				   given ? cb_of(curve) : 0, 0, 0,
				   3 * cb_of(curve));

	return aoff_run1(r, &s);
}

/* ---- OpenSSL helpers ---- */

static void bn_fixed(const BIGNUM *b, uint8_t *out, int len)
{
	BN_bn2binpad(b, out, len);
}

/* An OpenSSL EC key from d (big-endian, cb bytes). */
static EC_KEY *ossl_ec_from_d(int curve, const uint8_t *d)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(nid_of(curve));
	const EC_GROUP *g = EC_KEY_get0_group(k);
	BIGNUM *bd = BN_bin2bn(d, cb_of(curve), NULL);
	EC_POINT *p = EC_POINT_new(g);

	EC_POINT_mul(g, p, bd, NULL, NULL, NULL);
	EC_KEY_set_private_key(k, bd);
	EC_KEY_set_public_key(k, p);
	EC_POINT_free(p);
	BN_free(bd);
	return k;
}

/* X || Y of an OpenSSL key. */
static void ossl_ec_pub(EC_KEY *k, int curve, uint8_t *xy)
{
	uint8_t buf[1 + 2 * AOFF_EC_P384_BYTES];

	EC_POINT_point2oct(EC_KEY_get0_group(k), EC_KEY_get0_public_key(k),
			   POINT_CONVERSION_UNCOMPRESSED, buf,
			   1 + 2 * cb_of(curve), NULL);
	memcpy(xy, buf + 1, 2 * cb_of(curve));
}

/* An OpenSSL public-only EC key from X || Y. */
static EC_KEY *ossl_ec_from_xy(int curve, const uint8_t *xy)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(nid_of(curve));
	uint8_t buf[1 + 2 * AOFF_EC_P384_BYTES];
	EC_POINT *p = EC_POINT_new(EC_KEY_get0_group(k));

	buf[0] = 4;
	memcpy(buf + 1, xy, 2 * cb_of(curve));
	if (!EC_POINT_oct2point(EC_KEY_get0_group(k), p, buf,
				1 + 2 * cb_of(curve), NULL) ||
	    !EC_KEY_set_public_key(k, p)) {
		EC_KEY_free(k);
		k = NULL;
	}
	EC_POINT_free(p);
	return k;
}

/* ---- known answers ---- */

TEST_F(pk, x25519_kat)
{
	struct aoff_ring *r = &self->r;
	struct aoff_sqe s;
	uint8_t want[32];

	/* RFC 7748 5.2: scalar and u as given, output as given. */
	aoff_unhex(D(r, KEY_OFF), x25519_scalar);
	aoff_unhex(D(r, AUX_OFF), x25519_u);
	s = pk_sqe(AOFF_OP_X25519_DERIVE, 0, 32, 32, 0, 32);
	ASSERT_EQ(32, aoff_run1(r, &s));
	aoff_unhex(want, x25519_out);
	EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), 32));

	/* RFC 7748 6.1: both key pairs, then the secret both ways. */
	aoff_unhex(D(r, KEY_OFF), x25519_alice_priv);
	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 32, 0, 0, 64);
	ASSERT_EQ(64, aoff_run1(r, &s));
	aoff_unhex(want, x25519_alice_priv);
	EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), 32));
	aoff_unhex(want, x25519_alice_pub);
	EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF + 32), 32));
	aoff_unhex(D(r, KEY_OFF), x25519_bob_priv);
	ASSERT_EQ(64, aoff_run1(r, &s));
	aoff_unhex(want, x25519_bob_pub);
	EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF + 32), 32));

	aoff_unhex(want, x25519_shared);
	aoff_unhex(D(r, KEY_OFF), x25519_alice_priv);
	aoff_unhex(D(r, AUX_OFF), x25519_bob_pub);
	s = pk_sqe(AOFF_OP_X25519_DERIVE, 0, 32, 32, 0, 32);
	ASSERT_EQ(32, aoff_run1(r, &s));
	EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), 32));
	aoff_unhex(D(r, KEY_OFF), x25519_bob_priv);
	aoff_unhex(D(r, AUX_OFF), x25519_alice_pub);
	ASSERT_EQ(32, aoff_run1(r, &s));
	EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), 32));
}

TEST_F(pk, ecdh_kat)
{
	struct aoff_ring *r = &self->r;
	uint8_t want[2 * AOFF_EC_P384_BYTES];
	unsigned int i;

	for (i = 0; i < sizeof(ecdh_kats) / sizeof(ecdh_kats[0]); i++) {
		const struct pk_ecdh_kat *k = &ecdh_kats[i];
		int cb = cb_of(k->curve);
		struct aoff_sqe s;

		/* The key pair of a given d (keygen with pk.key). */
		ASSERT_EQ(cb, (int)aoff_unhex(D(r, KEY_OFF), k->d));
		ASSERT_EQ(3 * cb, dev_ec_keygen(r, k->curve, 1));
		EXPECT_EQ(0, memcmp(D(r, KEY_OFF), D(r, OUT_OFF), cb));
		aoff_unhex(want, k->pub);
		EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF + cb), 2 * cb))
			TH_LOG("vector %u: public key", i);

		aoff_unhex(D(r, AUX_OFF), k->peer);
		s = pk_sqe(AOFF_OP_ECDH_DERIVE, k->curve, cb, 2 * cb, 0, cb);
		ASSERT_EQ(cb, aoff_run1(r, &s));
		aoff_unhex(want, k->ss);
		EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), cb))
			TH_LOG("vector %u: shared secret", i);
	}
}

TEST_F(pk, ecdsa_kat)
{
	struct aoff_ring *r = &self->r;
	unsigned int nk = sizeof(ecdsa_kats) / sizeof(ecdsa_kats[0]);
	unsigned int nf = sizeof(ecdsa_forged) / sizeof(ecdsa_forged[0]);
	unsigned int i;

	unsigned int edge_skipped = 0;
	struct utsname u;
	int major = 0, minor = 0;

	/*
	 * Debian's 6.1 ecc_point_mult_shamir() adds points with the general
	 * formula, wrong when an intermediate sum meets an equal or opposite
	 * point (fixed in 6.10); Wycheproof's tcId 60 and 210, the first two
	 * vectors, are built to meet that case, and 6.1 rejects them though
	 * they are valid.  Reaching it needs the key's discrete logarithm
	 * (or Q = +-G, which the driver computes apart), so it costs no
	 * forgery against honest keys; it is reported, not asserted, there.
	 */
	ASSERT_EQ(0, uname(&u));
	sscanf(u.release, "%d.%d", &major, &minor);
	for (i = 0; i < nk + nf; i++) {
		const struct pk_ecdsa_kat *k = i < nk ? &ecdsa_kats[i] :
						 &ecdsa_forged[i - nk];
		int valid = i < nk;
		int edge = i < 2 && (major < 6 || (major == 6 && minor < 10));
		int cb = cb_of(k->curve);
		uint8_t key[1 + 2 * AOFF_EC_P384_BYTES], der[128];
		const uint8_t *p = der;
		const BIGNUM *br, *bs;
		ECDSA_SIG *sig;
		EC_KEY *ok;
		size_t mlen, dlen;
		struct aoff_sqe s;

		ASSERT_EQ(1 + 2 * cb, (int)aoff_unhex(key, k->key));
		memcpy(D(r, KEY_OFF), key + 1, 2 * cb);
		mlen = aoff_unhex(D(r, IN_OFF), k->m);
		dlen = aoff_unhex(der, k->sig);
		sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
		ASSERT_NE(NULL, sig);
		ECDSA_SIG_get0(sig, &br, &bs);
		bn_fixed(br, D(r, AUX_OFF), cb);
		bn_fixed(bs, D(r, AUX_OFF + cb), cb);

		/* OpenSSL agrees the vector verifies. */
		ok = ossl_ec_from_xy(k->curve, key + 1);
		ASSERT_NE(NULL, ok);
		EXPECT_EQ(valid, ECDSA_do_verify(D(r, IN_OFF), (int)mlen, sig,
						 ok));

		s = pk_sqe(AOFF_OP_ECDSA_VERIFY, k->curve, 2 * cb, 2 * cb,
			   (uint32_t)mlen, 0);
		if (edge) {
			int res = aoff_run1(r, &s);

			TH_LOG("vector %u (Wycheproof edge case) on %s: %d",
			       i, u.release, res);
			edge_skipped += res != 0;
		} else {
			EXPECT_EQ(valid ? 0 : -EBADMSG, aoff_run1(r, &s))
				TH_LOG("vector %u", i);
		}
		/* One bit off in the digest, then in s: no longer valid. */
		D(r, IN_OFF)[0] ^= 0x80;
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &s)) TH_LOG("vector %u", i);
		D(r, IN_OFF)[0] ^= 0x80;
		D(r, AUX_OFF + 2 * cb - 1)[0] ^= 1;
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &s)) TH_LOG("vector %u", i);
		EC_KEY_free(ok);
		ECDSA_SIG_free(sig);
	}
	if (edge_skipped)
		SKIP(return, "%u Wycheproof Shamir edge vectors fail on %s "
		     "(kernel ecc_point_mult_shamir, fixed in 6.10); the other "
		     "%u vectors passed", edge_skipped, u.release,
		     nk + nf - edge_skipped);
}

/* DER RSAPrivateKey of @rsa at @off; returns the length. */
static uint32_t put_priv(struct aoff_ring *r, uint64_t off, RSA *rsa)
{
	unsigned char *q = D(r, off);

	return (uint32_t)i2d_RSAPrivateKey(rsa, &q);
}

static uint32_t put_pub(struct aoff_ring *r, uint64_t off, RSA *rsa)
{
	unsigned char *q = D(r, off);

	return (uint32_t)i2d_RSAPublicKey(rsa, &q);
}

/* m, right-aligned in k bytes. */
static void pad_left(uint8_t *out, size_t k, const uint8_t *m, size_t n)
{
	memset(out, 0, k - n);
	memcpy(out + k - n, m, n);
}

TEST_F(pk, rsa_kat)
{
	struct aoff_ring *r = &self->r;
	unsigned int i;

	for (i = 0; i < sizeof(rsa_kats) / sizeof(rsa_kats[0]); i++) {
		const struct pk_rsa_kat *k = &rsa_kats[i];
		uint8_t m[16], c[512], mp[512];
		const uint8_t *p = D(r, KEY_OFF);
		size_t klen, mlen, clen;
		struct aoff_sqe s;
		RSA *rsa;

		klen = aoff_unhex(D(r, KEY_OFF), k->key);
		mlen = aoff_unhex(m, k->m);
		clen = aoff_unhex(c, k->c);
		pad_left(mp, clen, m, mlen);

		/* Private: c -> m. */
		memcpy(D(r, IN_OFF), c, clen);
		s = pk_sqe(AOFF_OP_RSA_PRIVATE, 0, (uint32_t)klen, 0,
			   (uint32_t)clen, (uint32_t)clen);
		ASSERT_EQ((int)clen, aoff_run1(r, &s));
		EXPECT_EQ(0, memcmp(mp, D(r, OUT_OFF), clen));

		/* Public: m -> c, with the public half as RSAPublicKey. */
		rsa = d2i_RSAPrivateKey(NULL, &p, (long)klen);
		ASSERT_NE(NULL, rsa);
		klen = put_pub(r, KEY_OFF, rsa);
		RSA_free(rsa);
		memcpy(D(r, IN_OFF), mp, clen);
		s = pk_sqe(AOFF_OP_RSA_PUBLIC, 0, (uint32_t)klen, 0,
			   (uint32_t)clen, (uint32_t)clen);
		ASSERT_EQ((int)clen, aoff_run1(r, &s));
		EXPECT_EQ(0, memcmp(c, D(r, OUT_OFF), clen));
	}
}

/* ---- randomised comparison with OpenSSL ---- */

TEST_F(pk, ecdsa_vs_openssl)
{
	static const int curves[] = { AOFF_EC_P256, AOFF_EC_P384 };
	struct aoff_ring *r = &self->r;
	unsigned int c, i;

	for (c = 0; c < 2; c++) {
		int curve = curves[c], cb = cb_of(curve);

		for (i = 0; i < 6; i++) {
			uint8_t xy[2 * AOFF_EC_P384_BYTES], dig[64];
			uint32_t dlen = 1 + aoff_rnd_below(64);
			BIGNUM *br, *bs;
			ECDSA_SIG *sig;
			struct aoff_sqe s;
			EC_KEY *k;

			/* A key pair from the device; OpenSSL's d -> Q agrees. */
			ASSERT_EQ(3 * cb, dev_ec_keygen(r, curve, 0));
			k = ossl_ec_from_d(curve, D(r, OUT_OFF));
			ossl_ec_pub(k, curve, xy);
			EXPECT_EQ(0, memcmp(xy, D(r, OUT_OFF + cb), 2 * cb));
			memcpy(D(r, KEY_OFF), D(r, OUT_OFF), cb);

			/* Signed on the device, verified by OpenSSL. */
			aoff_rnd_fill(dig, dlen);
			memcpy(D(r, IN_OFF), dig, dlen);
			s = pk_sqe(AOFF_OP_ECDSA_SIGN, curve, cb, 0, dlen, 2 * cb);
			ASSERT_EQ(2 * cb, aoff_run1(r, &s));
			sig = ECDSA_SIG_new();
			br = BN_bin2bn(D(r, OUT_OFF), cb, NULL);
			bs = BN_bin2bn(D(r, OUT_OFF + cb), cb, NULL);
			ECDSA_SIG_set0(sig, br, bs);
			EXPECT_EQ(1, ECDSA_do_verify(dig, (int)dlen, sig, k))
				TH_LOG("curve %d digest %u bytes", curve, dlen);
			ECDSA_SIG_free(sig);

			/* Signed by OpenSSL, verified on the device. */
			sig = ECDSA_do_sign(dig, (int)dlen, k);
			ASSERT_NE(NULL, sig);
			ECDSA_SIG_get0(sig, (const BIGNUM **)&br,
				       (const BIGNUM **)&bs);
			bn_fixed(br, D(r, AUX_OFF), cb);
			bn_fixed(bs, D(r, AUX_OFF + cb), cb);
			memcpy(D(r, KEY_OFF), xy, 2 * cb);
			s = pk_sqe(AOFF_OP_ECDSA_VERIFY, curve, 2 * cb, 2 * cb,
				   dlen, 0);
			EXPECT_EQ(0, aoff_run1(r, &s));
			/*
			 * Only the digest's first cb bytes are signed (FIPS
			 * 186-4): a change there invalidates the signature,
			 * one past them does not.
			 */
			if (dlen > (uint32_t)cb) {
				D(r, IN_OFF)[cb + aoff_rnd_below(dlen - cb)] ^= 1;
				EXPECT_EQ(0, aoff_run1(r, &s));
			}
			D(r, IN_OFF)[aoff_rnd_below(dlen < (uint32_t)cb ? dlen : cb)] ^=
				1 << aoff_rnd_below(8);
			EXPECT_EQ(-EBADMSG, aoff_run1(r, &s));
			ECDSA_SIG_free(sig);
			EC_KEY_free(k);
		}
	}
}

TEST_F(pk, ecdh_vs_openssl)
{
	static const int curves[] = { AOFF_EC_P256, AOFF_EC_P384 };
	struct aoff_ring *r = &self->r;
	unsigned int c, i;

	for (c = 0; c < 2; c++) {
		int curve = curves[c], cb = cb_of(curve);

		for (i = 0; i < 6; i++) {
			uint8_t theirs[2 * AOFF_EC_P384_BYTES], ss[48];
			uint8_t mine[3 * AOFF_EC_P384_BYTES];
			EC_KEY *k = EC_KEY_new_by_curve_name(nid_of(curve));
			EC_KEY *peer;
			struct aoff_sqe s;

			ASSERT_EQ(1, EC_KEY_generate_key(k));
			ossl_ec_pub(k, curve, theirs);
			ASSERT_EQ(3 * cb, dev_ec_keygen(r, curve, 0));
			memcpy(mine, D(r, OUT_OFF), 3 * cb);

			memcpy(D(r, KEY_OFF), mine, cb);
			memcpy(D(r, AUX_OFF), theirs, 2 * cb);
			s = pk_sqe(AOFF_OP_ECDH_DERIVE, curve, cb, 2 * cb, 0, cb);
			ASSERT_EQ(cb, aoff_run1(r, &s));
			peer = ossl_ec_from_xy(curve, mine + cb);
			ASSERT_NE(NULL, peer);
			ASSERT_EQ(cb, ECDH_compute_key(ss, cb,
						       EC_KEY_get0_public_key(peer),
						       k, NULL));
			EXPECT_EQ(0, memcmp(ss, D(r, OUT_OFF), cb));
			EC_KEY_free(peer);
			EC_KEY_free(k);
		}
	}
}

TEST_F(pk, x25519_vs_openssl)
{
	struct aoff_ring *r = &self->r;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		uint8_t mine[64], theirs[32], ss[32];
		size_t len = 32;
		EVP_PKEY *k = NULL, *peer;
		EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);
		struct aoff_sqe s;

		ASSERT_EQ(1, EVP_PKEY_keygen_init(pc));
		ASSERT_EQ(1, EVP_PKEY_keygen(pc, &k));
		EVP_PKEY_CTX_free(pc);
		EVP_PKEY_get_raw_public_key(k, theirs, &len);

		s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 0, 0, 64);
		ASSERT_EQ(64, aoff_run1(r, &s));
		memcpy(mine, D(r, OUT_OFF), 64);
		/* The device's public key is the one OpenSSL derives. */
		peer = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL,
						    mine, 32);
		ASSERT_NE(NULL, peer);
		EVP_PKEY_get_raw_public_key(peer, ss, &len);
		EXPECT_EQ(0, memcmp(ss, mine + 32, 32));
		EVP_PKEY_free(peer);

		memcpy(D(r, KEY_OFF), mine, 32);
		memcpy(D(r, AUX_OFF), theirs, 32);
		s = pk_sqe(AOFF_OP_X25519_DERIVE, 0, 32, 32, 0, 32);
		ASSERT_EQ(32, aoff_run1(r, &s));

		peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL,
						   mine + 32, 32);
		pc = EVP_PKEY_CTX_new(k, NULL);
		ASSERT_EQ(1, EVP_PKEY_derive_init(pc));
		ASSERT_EQ(1, EVP_PKEY_derive_set_peer(pc, peer));
		len = 32;
		ASSERT_EQ(1, EVP_PKEY_derive(pc, ss, &len));
		EXPECT_EQ(0, memcmp(ss, D(r, OUT_OFF), 32));
		EVP_PKEY_CTX_free(pc);
		EVP_PKEY_free(peer);
		EVP_PKEY_free(k);
	}
}

static RSA *rsa_gen(int bits)
{
	RSA *rsa = RSA_new();
	BIGNUM *e = BN_new();

	BN_set_word(e, RSA_F4);
	if (RSA_generate_key_ex(rsa, bits, e, NULL) != 1) {
		RSA_free(rsa);
		rsa = NULL;
	}
	BN_free(e);
	return rsa;
}

static RSA *rsa_kat_key(int i)
{
	uint8_t der[4096];
	const uint8_t *p = der;
	size_t n = aoff_unhex(der, rsa_kats[i].key);

	return d2i_RSAPrivateKey(NULL, &p, (long)n);
}

/* Random private and public operations against OpenSSL's raw RSA. */
static void rsa_compare(struct __test_metadata *_metadata,
			struct aoff_ring *r, RSA *rsa, int rounds)
{
	int k = RSA_size(rsa), i;
	uint8_t in[512], want[512];
	struct aoff_sqe s;
	uint32_t klen;

	for (i = 0; i < rounds; i++) {
		aoff_rnd_fill(in, k);
		in[0] &= 0x7f;	/* below n: n has its top bit set */
		memcpy(D(r, IN_OFF), in, k);
		klen = put_priv(r, KEY_OFF, rsa);
		s = pk_sqe(AOFF_OP_RSA_PRIVATE, 0, klen, 0, k, k);
		ASSERT_EQ(k, aoff_run1(r, &s));
		ASSERT_EQ(k, RSA_private_decrypt(k, in, want, rsa,
						 RSA_NO_PADDING));
		EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), k))
			TH_LOG("%d-bit private op", 8 * k);

		klen = put_pub(r, KEY_OFF, rsa);
		s = pk_sqe(AOFF_OP_RSA_PUBLIC, 0, klen, 0, k, k);
		ASSERT_EQ(k, aoff_run1(r, &s));
		ASSERT_EQ(k, RSA_public_encrypt(k, in, want, rsa,
						RSA_NO_PADDING));
		EXPECT_EQ(0, memcmp(want, D(r, OUT_OFF), k))
			TH_LOG("%d-bit public op", 8 * k);
	}
}

/* Key generation under TCG: 3072 bits can take tens of seconds. */
TEST_F_TIMEOUT(pk, rsa_vs_openssl, 180)
{
	RSA *rsa;

	/* Generated keys (2048 and 3072; fast enough under TCG)... */
	rsa = rsa_gen(2048);
	ASSERT_NE(NULL, rsa);
	rsa_compare(_metadata, &self->r, rsa, 3);
	RSA_free(rsa);
	rsa = rsa_gen(3072);
	ASSERT_NE(NULL, rsa);
	rsa_compare(_metadata, &self->r, rsa, 1);
	RSA_free(rsa);
	/* ...and the fixed 4096-bit one (its generation would be too slow). */
	rsa = rsa_kat_key(1);
	ASSERT_NE(NULL, rsa);
	ASSERT_EQ(512, RSA_size(rsa));
	rsa_compare(_metadata, &self->r, rsa, 1);
	RSA_free(rsa);
}

/* ---- bad input ---- */

/* Replaces one of @rsa's numbers and writes the DER; NULL bn: keep. */
static uint32_t put_priv_with(struct aoff_ring *r, RSA *rsa, const BIGNUM *d,
			      const BIGNUM *p)
{
	const BIGNUM *n, *e, *d0, *p0, *q0, *dp, *dq, *qi;
	RSA *t = RSA_new();
	uint32_t len;

	RSA_get0_key(rsa, &n, &e, &d0);
	RSA_get0_factors(rsa, &p0, &q0);
	RSA_get0_crt_params(rsa, &dp, &dq, &qi);
	RSA_set0_key(t, BN_dup(n), BN_dup(e), BN_dup(d ? d : d0));
	RSA_set0_factors(t, BN_dup(p ? p : p0), BN_dup(q0));
	RSA_set0_crt_params(t, BN_dup(dp), BN_dup(dq), BN_dup(qi));
	len = put_priv(r, KEY_OFF, t);
	RSA_free(t);
	return len;
}

TEST_F_TIMEOUT(pk, rsa_errors, 120)
{
	struct aoff_ring *r = &self->r;
	RSA *rsa = rsa_gen(2048), *small = rsa_gen(1024);
	const BIGNUM *n, *e, *d;
	struct aoff_sqe s, ok;
	BIGNUM *b;
	uint32_t klen;

	ASSERT_NE(NULL, rsa);
	ASSERT_NE(NULL, small);
	RSA_get0_key(rsa, &n, &e, &d);
	memset(D(r, IN_OFF), 0x11, 256);
	klen = put_priv(r, KEY_OFF, rsa);
	ok = pk_sqe(AOFF_OP_RSA_PRIVATE, 0, klen, 0, 256, 256);
	ASSERT_EQ(256, aoff_run1(r, &ok));

	/* The SQE's shape: -EINVAL, -EFAULT. */
	s = ok; s.in_len = 255;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = ok; s.in_len = 384; s.out_len = 384;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));	/* k of the key is 256 */
	s = ok; s.out_len = 255;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = ok; s.pk.key_len = 0; s.pk.key_off = 0;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = ok; s.pk.key_len = AOFF_RSA_KEY_MAX + 1;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = ok; s.pk.aux_off = AUX_OFF; s.pk.aux_len = 1;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = ok; s.op_flags = AOFF_EC_P256;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = ok; s.pk.key_off = DATA_BYTES - 10;
	EXPECT_EQ(-EFAULT, aoff_run1(r, &s));
	s = ok; s.out_off = DATA_BYTES - 255;
	EXPECT_EQ(-EFAULT, aoff_run1(r, &s));

	/* The key: -EKEYREJECTED. */
	s = ok; s.pk.key_len = klen - 1;	/* truncated DER */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	aoff_rnd_fill(D(r, KEY_OFF), klen);		/* garbage */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &ok));
	s = ok; s.pk.key_len = put_pub(r, KEY_OFF, rsa);	/* not private */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	s = ok; s.pk.key_len = put_priv_with(r, rsa, n, NULL);	/* d = n */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	b = BN_new();
	BN_add(b, n, BN_value_one());
	s = ok; s.pk.key_len = put_priv_with(r, rsa, b, NULL);	/* d > n */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	BN_zero(b);
	s = ok; s.pk.key_len = put_priv_with(r, rsa, b, NULL);	/* d = 0 */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	s = ok; s.pk.key_len = put_priv_with(r, rsa, NULL, b);	/* p = 0 */
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	BN_set_word(b, 65537);			/* p * q != n */
	s = ok; s.pk.key_len = put_priv_with(r, rsa, NULL, b);
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	BN_free(b);
	/* 1024 bits: refused, whatever the lengths say. */
	s = pk_sqe(AOFF_OP_RSA_PRIVATE, 0, put_priv(r, KEY_OFF, small), 0,
		   256, 256);
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
	s = pk_sqe(AOFF_OP_RSA_PUBLIC, 0, put_pub(r, KEY_OFF, small), 0,
		   256, 256);
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));

	/* The input: not below n. */
	put_priv(r, KEY_OFF, rsa);
	BN_bn2binpad(n, D(r, IN_OFF), 256);
	EXPECT_EQ(-ERANGE, aoff_run1(r, &ok));
	memset(D(r, IN_OFF), 0xff, 256);
	EXPECT_EQ(-ERANGE, aoff_run1(r, &ok));
	s = pk_sqe(AOFF_OP_RSA_PUBLIC, 0, put_pub(r, KEY_OFF, rsa), 0, 256, 256);
	EXPECT_EQ(-ERANGE, aoff_run1(r, &s));
	/* A failed request wrote nothing. */
	memset(D(r, OUT_OFF), 0x5a, 256);
	EXPECT_EQ(-ERANGE, aoff_run1(r, &s));
	EXPECT_EQ(NULL, memchr(D(r, OUT_OFF), 0x00, 256));
	/* And the engine still works. */
	memset(D(r, IN_OFF), 0x11, 256);
	EXPECT_EQ(256, aoff_run1(r, &s));
	RSA_free(small);
	RSA_free(rsa);
}

TEST_F(pk, ec_errors)
{
	static const int curves[] = { AOFF_EC_P256, AOFF_EC_P384 };
	struct aoff_ring *r = &self->r;
	unsigned int c;

	for (c = 0; c < 2; c++) {
		int curve = curves[c], cb = cb_of(curve);
		uint8_t d[48], xy[96], order[48];
		struct aoff_sqe s, sign, verify, derive;
		EC_KEY *k = EC_KEY_new_by_curve_name(nid_of(curve));

		bn_fixed(EC_GROUP_get0_order(EC_KEY_get0_group(k)), order, cb);
		EC_KEY_free(k);
		ASSERT_EQ(3 * cb, dev_ec_keygen(r, curve, 0));
		memcpy(d, D(r, OUT_OFF), cb);
		memcpy(xy, D(r, OUT_OFF + cb), 2 * cb);

		/* Curve selection and lengths: -EINVAL. */
		s = pk_sqe(AOFF_OP_ECDH_KEYGEN, 0, 0, 0, 0, 3 * cb);
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s.op_flags = 3;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s.op_flags = curve;
		s.out_len = 3 * cb - 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = pk_sqe(AOFF_OP_ECDH_KEYGEN, curve, cb - 1, 0, 0, 3 * cb);
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = pk_sqe(AOFF_OP_ECDH_KEYGEN, curve, 0, 0, 1, 3 * cb);
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));

		memcpy(D(r, KEY_OFF), d, cb);
		memset(D(r, IN_OFF), 0x33, 64);
		sign = pk_sqe(AOFF_OP_ECDSA_SIGN, curve, cb, 0, 32, 2 * cb);
		ASSERT_EQ(2 * cb, aoff_run1(r, &sign));
		s = sign; s.in_len = 0; s.in_off = 0;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = sign; s.in_len = AOFF_ECDSA_DIGEST_MAX + 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = sign; s.out_len = 2 * cb - 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = sign; s.pk.key_len = cb + 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = sign; s.pk.aux_off = AUX_OFF; s.pk.aux_len = 2 * cb;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));

		/* Private scalars outside [1, n - 1]: -EKEYREJECTED. */
		memset(D(r, KEY_OFF), 0, cb);
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &sign));
		memcpy(D(r, KEY_OFF), order, cb);
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &sign));
		memset(D(r, KEY_OFF), 0xff, cb);
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &sign));
		EXPECT_EQ(-EKEYREJECTED, dev_ec_keygen(r, curve, 1));

		/* Verify: a bad public key, bad r and s. */
		memcpy(D(r, KEY_OFF), d, cb);
		ASSERT_EQ(2 * cb, aoff_run1(r, &sign));
		memcpy(D(r, AUX_OFF), D(r, OUT_OFF), 2 * cb);
		memcpy(D(r, KEY_OFF), xy, 2 * cb);
		verify = pk_sqe(AOFF_OP_ECDSA_VERIFY, curve, 2 * cb, 2 * cb, 32, 0);
		ASSERT_EQ(0, aoff_run1(r, &verify));
		s = verify; s.out_off = OUT_OFF; s.out_len = 2;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = verify; s.pk.aux_len = 2 * cb - 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		D(r, KEY_OFF + 2 * cb - 1)[0] ^= 1;	/* off the curve */
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &verify));
		memset(D(r, KEY_OFF), 0, 2 * cb);	/* infinity */
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &verify));
		memcpy(D(r, KEY_OFF), xy, 2 * cb);
		memset(D(r, AUX_OFF), 0, cb);		/* r = 0 */
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &verify));
		memcpy(D(r, AUX_OFF), order, cb);	/* r = n */
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &verify));
		memcpy(D(r, AUX_OFF), D(r, OUT_OFF), cb);
		memset(D(r, AUX_OFF + cb), 0xff, cb);	/* s > n */
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &verify));
		memcpy(D(r, AUX_OFF), D(r, OUT_OFF), 2 * cb);
		EXPECT_EQ(0, aoff_run1(r, &verify));

		/* Derive: the peer's point is validated: -EBADMSG. */
		memcpy(D(r, KEY_OFF), d, cb);
		memcpy(D(r, AUX_OFF), xy, 2 * cb);
		derive = pk_sqe(AOFF_OP_ECDH_DERIVE, curve, cb, 2 * cb, 0, cb);
		ASSERT_EQ(cb, aoff_run1(r, &derive));
		s = derive; s.out_len = cb - 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = derive; s.pk.aux_len = 2 * cb + 1;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		s = derive; s.pk.aux_off = 0; s.pk.aux_len = 0;
		EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
		D(r, AUX_OFF + cb)[0] ^= 0x10;		/* off the curve */
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &derive));
		memset(D(r, AUX_OFF), 0, 2 * cb);	/* infinity */
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &derive));
		memset(D(r, AUX_OFF), 0xff, 2 * cb);	/* coordinates >= p */
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &derive));
		memcpy(D(r, AUX_OFF), xy, 2 * cb);
		memset(D(r, KEY_OFF), 0, cb);
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &derive));
		memset(D(r, OUT_OFF), 0x5a, cb);	/* nothing written */
		EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &derive));
		EXPECT_EQ(NULL, memchr(D(r, OUT_OFF), 0, cb));
	}
}

TEST_F(pk, x25519_errors)
{
	/* Points of small order (RFC 7748 6.1's check; libsodium's list). */
	static const char *const small[] = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	struct aoff_ring *r = &self->r;
	struct aoff_sqe s, derive;
	unsigned int i;

	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 0, 0, 64);
	ASSERT_EQ(64, aoff_run1(r, &s));
	memcpy(D(r, KEY_OFF), D(r, OUT_OFF), 32);
	derive = pk_sqe(AOFF_OP_X25519_DERIVE, 0, 32, 32, 0, 32);
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		aoff_unhex(D(r, AUX_OFF), small[i]);
		memset(D(r, OUT_OFF), 0x5a, 32);
		EXPECT_EQ(-EBADMSG, aoff_run1(r, &derive)) TH_LOG("point %u", i);
		EXPECT_EQ(NULL, memchr(D(r, OUT_OFF), 0, 32));
	}
	aoff_unhex(D(r, AUX_OFF), x25519_alice_pub);
	ASSERT_EQ(32, aoff_run1(r, &derive));

	s = derive; s.op_flags = 1;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = derive; s.pk.key_len = 31;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = derive; s.pk.aux_len = 33;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = derive; s.out_len = 31;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = derive; s.in_off = IN_OFF; s.in_len = 32;
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = derive; s.pk.aux_off = DATA_BYTES - 31;
	EXPECT_EQ(-EFAULT, aoff_run1(r, &s));
	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 16, 0, 0, 64);
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 0, 0, 63);
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 32, 0, 64);
	EXPECT_EQ(-EINVAL, aoff_run1(r, &s));
	/* An all-zero private key. */
	memset(D(r, KEY_OFF), 0, 32);
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &derive));
	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 32, 0, 0, 64);
	EXPECT_EQ(-EKEYREJECTED, aoff_run1(r, &s));
}

/* ---- the model: class statistics and service time ---- */

TEST_F(pk, class_stats)
{
	struct aoff_ring *r = &self->r;
	long long ps = aoff_sysfs_get("pk_submitted");
	long long pc = aoff_sysfs_get("pk_completed");
	long long pe = aoff_sysfs_get("pk_errors");
	long long ss = aoff_sysfs_get("sym_submitted");
	long long sc = aoff_sysfs_get("sym_completed");
	struct aoff_sqe s;
	int i;

	ASSERT_LE(0, ps);
	ASSERT_LE(0, ss);
	s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 0, 0, 64);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(64, aoff_run1(r, &s));
	s.out_len = 1;				/* refused in validation */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(-EINVAL, aoff_run1(r, &s));
	s = pk_sqe(AOFF_OP_NOP, 0, 0, 0, 0, 0);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, aoff_run1(r, &s));
	EXPECT_EQ(ps + 8, aoff_sysfs_get("pk_submitted"));
	EXPECT_EQ(pc + 8, aoff_sysfs_get("pk_completed"));
	EXPECT_EQ(pe + 3, aoff_sysfs_get("pk_errors"));
	EXPECT_EQ(ss + 4, aoff_sysfs_get("sym_submitted"));
	EXPECT_EQ(sc + 4, aoff_sysfs_get("sym_completed"));
}

static uint64_t timed(struct aoff_ring *r, const struct aoff_sqe *s, int *res)
{
	uint64_t t0 = aoff_now_ns();

	*res = aoff_run1(r, s);
	return aoff_now_ns() - t0;
}

TEST_F(pk, pk_latency)
{
	struct aoff_ring *r = &self->r;
	struct aoff_sqe pks, nop;
	uint64_t t;
	int res;

	pks = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 0, 0, 64);
	nop = pk_sqe(AOFF_OP_NOP, 0, 0, 0, 0, 0);
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 0));
	ASSERT_EQ(0, aoff_sysfs_set("pk_latency_ns", 300000000));
	EXPECT_EQ(300000000, aoff_sysfs_get("pk_latency_ns"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("pk_latency_ns", "10000000001"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("pk_busy_ns", "1000000001"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("pk_busy_ns", "-1"));

	t = timed(r, &pks, &res);
	EXPECT_EQ(64, res);
	EXPECT_LE(300000000ull, t);
	/* The symmetric class keeps its own (zero) latency. */
	t = timed(r, &nop, &res);
	EXPECT_EQ(0, res);
	EXPECT_GT(150000000ull, t);
	/* A failed request is held for the latency, not the busy time. */
	ASSERT_EQ(0, aoff_sysfs_set("pk_latency_ns", 0));
	ASSERT_EQ(0, aoff_sysfs_set("pk_busy_ns", 200000000));
	t = timed(r, &pks, &res);
	EXPECT_EQ(64, res);
	EXPECT_LE(200000000ull, t);
}

/* ---- reset and lifetime with public-key requests in flight ---- */

/* Queues n RSA private ops with the fixed key @kat; returns submitted. */
static int queue_rsa(struct aoff_ring *r, int kat, int n)
{
	uint8_t c[512];
	uint32_t klen = (uint32_t)aoff_unhex(D(r, KEY_OFF), rsa_kats[kat].key);
	size_t k = aoff_unhex(c, rsa_kats[kat].c);
	int i;

	memcpy(D(r, IN_OFF), c, k);
	for (i = 0; i < n; i++) {
		struct aoff_sqe *sqe = aoff_get_sqe(r);

		if (!sqe)
			break;
		*sqe = pk_sqe(AOFF_OP_RSA_PRIVATE, 0, klen, 0, (uint32_t)k,
			      (uint32_t)k);
		sqe->user_data = i;
	}
	return aoff_enter(r, i, 0, -1);
}

TEST_F(pk, reset_in_flight)
{
	struct aoff_ring *r = &self->r;
	struct aoff_cqe c[8];
	unsigned int got, i;
	uint64_t t0;

	/* Held for 5 s after computing: every one is in flight at reset. */
	ASSERT_EQ(0, aoff_sysfs_set("pk_latency_ns", 5000000000ull));
	ASSERT_EQ(6, queue_rsa(r, 0, 6));
	usleep(100000);
	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
	/* The doorbell fails now (EIO): wait for the CQEs without it. */
	t0 = aoff_now_ns();
	while (aoff_cq_ready(r) < 6 && aoff_now_ns() - t0 < 10000000000ull)
		usleep(1000);
	got = aoff_reap(r, c, 8);
	ASSERT_EQ(6, got);
	for (i = 0; i < got; i++) {
		EXPECT_EQ(-ECANCELED, c[i].res)
			TH_LOG("request %llu", (unsigned long long)c[i].user_data);
	}
	EXPECT_TRUE(__atomic_load_n(r->status, __ATOMIC_ACQUIRE) &
		    AOFF_STATUS_BROKEN);
	/* A new context works at once. */
	{
		struct aoff_ring r2;
		struct aoff_sqe s = pk_sqe(AOFF_OP_X25519_KEYGEN, 0, 0, 0, 0, 64);

		ASSERT_EQ(0, aoff_sysfs_set("pk_latency_ns", 0));
		ASSERT_EQ(0, aoff_ring_init(&r2, 4, 0, DATA_BYTES));
		EXPECT_EQ(64, aoff_run1(&r2, &s));
		aoff_ring_exit(&r2);
	}
}

/* The device answers a NOP on a fresh context within 10 s. */
static int fresh_nop(void)
{
	struct aoff_ring r;
	struct aoff_sqe s = pk_sqe(AOFF_OP_NOP, 0, 0, 0, 0, 0);
	int ret = aoff_ring_init(&r, 2, 0, 4096);

	if (ret)
		return ret;
	ret = aoff_run1(&r, &s);
	aoff_ring_exit(&r);
	return ret;
}

TEST_F(pk, close_and_kill_with_rsa4096)
{
	const char *mod = getenv("AOFF_MODULE");
	struct aoff_ring r2;
	uint64_t t0;
	int status, i, ret = -EBUSY;
	pid_t pid;

	/* Close with RSA-4096 queued and computing: close waits for one. */
	ASSERT_EQ(0, aoff_ring_init(&r2, 8, 0, DATA_BYTES));
	ASSERT_EQ(4, queue_rsa(&r2, 1, 4));
	usleep(20000);
	t0 = aoff_now_ns();
	aoff_ring_exit(&r2);
	TH_LOG("close took %llu ms",
	       (unsigned long long)(aoff_now_ns() - t0) / 1000000);
	EXPECT_EQ(0, fresh_nop());

	/* A process killed with RSA-4096 in flight. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct aoff_ring rc;

		if (aoff_ring_init(&rc, 8, 0, DATA_BYTES) ||
		    queue_rsa(&rc, 1, 4) != 4)
			_exit(1);
		pause();
		_exit(0);
	}
	usleep(300000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(0, fresh_nop());

	/* And the module unloads cleanly after that (the QEMU runner). */
	if (!mod || geteuid())
		return;
	aoff_ring_exit(&self->r);
	for (i = 0; i < 100 && ret; i++) {
		ret = aoff_delete_module("asyncoff", O_NONBLOCK);
		if (ret)
			usleep(20000);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, aoff_load_module(mod));
	for (i = 0; i < 100 && !aoff_have_device(); i++)
		usleep(10000);
	EXPECT_EQ(0, fresh_nop());
	/* The teardown saves nothing more: the reload reset the model. */
	for (i = 0; i < (int)AOFF_NPARAMS; i++)
		self->params[i] = -1;
}

/* ---- a long request never stalls another context ---- */

TEST_F(pk, idle_engine_serves_others)
{
	struct aoff_ring *r = &self->r, r2;
	struct aoff_sqe nop = pk_sqe(AOFF_OP_NOP, 0, 0, 0, 0, 0);
	struct aoff_cqe c[4];
	uint64_t rsa_ns, t0, worst = 0, t;
	int i, res;

	ASSERT_EQ(0, aoff_sysfs_set("engines", 2));
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 0));
	ASSERT_EQ(0, aoff_sysfs_set("pk_latency_ns", 0));
	ASSERT_EQ(0, aoff_sysfs_set("pk_busy_ns", 0));

	/* How long one RSA-4096 private operation computes here. */
	t0 = aoff_now_ns();
	ASSERT_EQ(1, queue_rsa(r, 1, 1));
	ASSERT_EQ(1, aoff_drain(r, c, 1));
	ASSERT_EQ(512, c[0].res);
	rsa_ns = aoff_now_ns() - t0;
	TH_LOG("RSA-4096 private: %llu us", (unsigned long long)rsa_ns / 1000);
	if (rsa_ns < 20000000)
		SKIP(return, "RSA-4096 takes %llu us here: too short to tell",
		     (unsigned long long)rsa_ns / 1000);

	/* Three of them on one engine; NOPs of another context meanwhile. */
	ASSERT_EQ(0, aoff_ring_init(&r2, 4, 0, 4096));
	ASSERT_EQ(3, queue_rsa(r, 1, 3));
	usleep(5000);
	for (i = 0; i < 20; i++) {
		t = timed(&r2, &nop, &res);
		EXPECT_EQ(0, res);
		if (t > worst)
			worst = t;
	}
	TH_LOG("worst NOP latency beside RSA-4096: %llu us",
	       (unsigned long long)worst / 1000);
	EXPECT_GT(rsa_ns / 2, worst);
	EXPECT_EQ(3, aoff_drain(r, c, 3));
	aoff_ring_exit(&r2);
}

TEST_HARNESS_MAIN
